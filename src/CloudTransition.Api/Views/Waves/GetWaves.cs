using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Waves;

/// <summary>One of a wave's mailboxes and where its move stands.</summary>
public record WaveMailbox(string Address, MoveStatus Status, int? PercentComplete, string? StatusDetail, DateTimeOffset? ProgressSince, bool Stalled, string? Error);

/// <summary>A wave with a page of its mailboxes.</summary>
/// <param name="Wave">The wave, plan against actual; `mailboxes.total` says how many mailboxes it has.</param>
/// <param name="Items">At most `limit` of its mailboxes, by address.</param>
/// <param name="Next">The cursor of the next page of mailboxes (pass it as `after`); absent on the last page.</param>
public record WaveDetail(WaveView Wave, IReadOnlyList<WaveMailbox> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Next = null);

/// <summary>
/// Waves read from the transition's view, whose tallies count their mailboxes. Live, the waves themselves come from their own
/// (inline) states, so a wave just planned is there at once, before the view has caught up with it.
/// </summary>
public static class WaveReads
{
    public static async Task<WaveView> Answer(IQuerySession session, string id, Wave wave, TimeProvider time) =>
        WaveRules.Of(await ViewReader.Read(session, id, null) ?? new TransitionView { Id = id }, wave, time.GetUtcNow());

    [Tags("Waves")]
    [ResponseHeader("200", "Link", "`<…&after=…>; rel=\"next\"` when more items follow.")]
    [ResponseHeader("200", "X-Total-Count", "How many items the whole list has.")]
    [WolverineGet("/api/transitions/{id}/waves", OperationId = "listWaves", Summary = "The transition's waves, plan against actual",
        Description = "Each wave's schedule, state (planned, in-progress, completed, late: past its planned completion with mailboxes not completed), " +
                      "mailboxes by status with the stalled ones, percent done, forecast completion at its own pace, reschedules and the blackout windows " +
                      "its completion falls in; by planned start. `asOf` shows them as they stood then. With `Accept: text/csv` or `format=csv`: the whole list as a CSV file. Paged: `limit` (1–5000, default 500) and `after`; a `Link` header with rel=\"next\" gives the next page, `X-Total-Count` the whole list's count.")]
    public static async Task<Results<Ok<IReadOnlyList<WaveView>>, CsvFile, ProblemHttpResult>> List(string id, DateTimeOffset? asOf, string? format, int? limit,
        string? after, HttpRequest http, IQuerySession session, Cursors cursors, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        var list = $"waves:{id}:{asOf?.ToUnixTimeMilliseconds()}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 2);
        if (problem is not null) return problem;
        if (await ViewReader.Read(session, id, asOf) is not { } view) return Problem.TransitionNotFound(id);
        var live = asOf is null ? await session.Query<Wave>().Where(w => w.TransitionId == id).ToListAsync() : null;
        var waves = WaveRules.All(view, asOf ?? time.GetUtcNow(), live).OrderBy(w => w.PlannedStart).ThenBy(w => w.WaveId, StringComparer.Ordinal).ToList();
        if (!CsvFile.Wanted(http, format))
            return TypedResults.Ok(paging!.Cut(waves, w => [w.PlannedStart.UtcTicks.ToString("D19"), w.WaveId], cursors, list, http.HttpContext));
        return CsvFile.Of(view.Organisation, "waves", asOf ?? time.GetUtcNow(),
            ["waveId", "name", "state", "plannedStart", "plannedCompletion", "mailboxes", "completed", "failed", "stalled", "percentDone", "forecastCompletion", "reschedules", "slipDays", "blackouts"],
            waves, w => [w.WaveId, w.Name, w.State, w.PlannedStart, w.PlannedCompletion, w.Mailboxes.Total, w.Mailboxes.Completed, w.Mailboxes.Failed, w.Mailboxes.Stalled,
                w.PercentDone, w.ForecastCompletion, w.Reschedules.Count, w.Reschedules.Sum(r => r.SlipDays), w.Blackouts]);
    }

    [Tags("Waves")]
    [WolverineGet("/api/transitions/{id}/waves/{waveId}", OperationId = "getWave", Summary = "One wave, plan against actual, with its mailboxes",
        Description = "As in the list, with `items`: the wave's mailboxes by address, their move status, percent, status detail and whether they are stalled, " +
                      "at most `limit` (1–5000, default 500) from `after` (the `next` of the page before). " +
                      "`asOf` shows it as it stood then (404 for a wave not planned by then).")]
    public static async Task<Results<Ok<WaveDetail>, ProblemHttpResult>> Get(string id, string waveId, DateTimeOffset? asOf, int? limit, string? after,
        IQuerySession session, Cursors cursors, TimeProvider time)
    {
        var list = $"wave:{session.TenantId}:{id}:{waveId}:{asOf?.ToUnixTimeMilliseconds()}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 1);
        if (problem is not null) return problem;
        if (await ViewReader.ReadWithMailboxes(session, id, asOf) is not { } view) return Problem.TransitionNotFound(id);
        var wave = asOf is null ? await session.WaveById(id, waveId) : view.Waves.GetValueOrDefault(waveId);
        if (wave is not { Ledger.Known: true }) return new Refusal.NotFound($"No wave '{waveId}' in transition '{id}'{(asOf is null ? "" : $" as of {asOf:u}")}.").Problem();
        var at = asOf ?? time.GetUtcNow();
        var start = paging!.After?[0];
        var mailboxes = view.FoldedMailboxes is { } folded
            ? folded.Values.Where(m => m.WaveId == waveId && (start is null || string.CompareOrdinal(m.Address, start) > 0))
                .OrderBy(m => m.Address, StringComparer.Ordinal).Take(paging.Limit + 1).ToList()
            : await WaveMailboxes(session, id, waveId, start, paging.Limit + 1);
        var next = mailboxes.Count > paging.Limit ? cursors.After(list, mailboxes[paging.Limit - 1].Address) : null;
        var items = mailboxes.Take(paging.Limit).Select(m => new WaveMailbox(m.Address, m.Status, m.PercentComplete,
            m.StatusDetail, m.ProgressSince, m.Clock.StalledAt(at, view.StallAfter), m.Error)).ToList();
        return TypedResults.Ok(new WaveDetail(WaveRules.Of(view, wave, at), items, next));
    }

    private static async Task<List<Mailbox>> WaveMailboxes(IQuerySession session, string id, string waveId, string? after, int take)
    {
        var query = session.Query<MailboxEntry>().Where(m => m.TransitionId == id && m.Mailbox.WaveId == waveId);
        if (after is not null) query = query.Where(m => string.Compare(m.Mailbox.Address, after) > 0);
        return (await query.OrderBy(m => m.Mailbox.Address).Take(take).Select(m => m.Mailbox).ToListAsync()).ToList();
    }
}

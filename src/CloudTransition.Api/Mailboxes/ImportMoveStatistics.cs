using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;
using JasperFx.Events;
using Marten;
using Wolverine.Http;

namespace CloudTransition.Api.Mailboxes;

/// <summary>What happened to one row: 200 recorded or unchanged, 400 unreadable, 404 no such mailbox, 409 a move it cannot make.</summary>
/// <param name="Row">The row, from 1 (after the CSV header).</param>
/// <param name="Address">The mailbox it names.</param>
/// <param name="ExoStatus">Exchange Online's status word.</param>
/// <param name="Status">The HTTP status of the row.</param>
/// <param name="Recorded">The move status recorded for it (null when nothing was).</param>
/// <param name="Detail">What happened, in words.</param>
/// <param name="Errors">The row's bad cells, by `[row].Column`.</param>
public record StatisticsRow(int Row, string? Address, string? ExoStatus, int Status, MoveStatus? Recorded, string Detail, IDictionary<string, string[]>? Errors);

/// <summary>Per-row results of a statistics import.</summary>
public record StatisticsResult(int Recorded, int Unchanged, int Failed, IReadOnlyList<StatisticsRow> Rows);

public static class ImportMoveStatisticsEndpoint
{
    public const int MaxRows = 5000;

    /// <summary>
    /// What Exchange Online reports is the truth: an older row than what is recorded changes nothing; a move first heard of as
    /// failed or resumed after a failure is recorded with the queueing it implies; only what no move can do (a completed move
    /// syncing again) is refused.
    /// </summary>
    public static Decision Decide(Mailbox? mailbox, MoveMailbox report, string id, string address, Wave? batchWave)
    {
        if (mailbox is null) return new Refusal.NotFound($"No mailbox '{address}' in transition '{id}': inventory it first.");
        var at = report.OccurredAt!.Value;
        if (at < mailbox.Ledger.StateAt) return Decision.Nothing;
        var move = report.Status is null // held: the move keeps its status (and a failed one its error), with EXO's word as detail
            ? report with { Status = mailbox.Status == MoveStatus.NotStarted ? MoveStatus.Queued : mailbox.Status, Error = mailbox.Error }
            : report;
        var direct = MoveMailboxEndpoint.Decide(mailbox, move, id, address, at, batchWave);
        var to = move.Status!.Value;
        if (direct.Refusal is not Refusal.Conflict || !MoveRules.CanChange(mailbox.Status, MoveStatus.Queued) || !MoveRules.CanChange(MoveStatus.Queued, to))
            return direct;
        var queued = MoveMailboxEndpoint.Decide(mailbox, new MoveMailbox(MoveStatus.Queued, move.Batch, null, null, at), id, address, at, batchWave);
        var then = MoveMailboxEndpoint.Decide(queued.Events.Aggregate(mailbox, (m, e) => Mailbox.Fold(m, e)!), move, id, address, at, batchWave);
        return then.Refusal ?? Decision.Accept([.. queued.Events, .. then.Events]);
    }

    /// <summary>Records each readable row on its mailbox's stream (a row is all or nothing) and answers what happened to each.</summary>
    public static async Task<Outcome<StatisticsResult>> Handle(string id, IReadOnlyList<ExoMoveReport> reports, IDocumentSession session)
    {
        if (reports.Count > MaxRows) return Refusal.Invalid.Field("body", $"At most {MaxRows} rows per request; got {reports.Count}.");
        var keys = reports.Where(r => r.Address is not null).Select(r => TransitionStreams.Mailbox(id, r.Address!)).Distinct().ToList();
        await session.FetchAhead<Mailbox>(keys);
        var waves = (await session.Query<Wave>().Where(w => w.TransitionId == id).ToListAsync()).ToDictionary(w => w.NameKey);
        var streams = new Dictionary<string, (IEventStream<Mailbox> Stream, Mailbox? State)>();
        var rows = new List<StatisticsRow>();
        foreach (var report in reports)
        {
            if (report.Move is null)
            {
                rows.Add(new StatisticsRow(report.Row, report.Address, report.ExoStatus, 400, null, "The row cannot be read.", report.Errors));
                continue;
            }
            var key = TransitionStreams.Mailbox(id, report.Address!);
            if (!streams.TryGetValue(key, out var item)) item = streams[key] = (await session.StreamForWriting<Mailbox>(key), null);
            var state = item.State ?? item.Stream.Aggregate;
            var wave = report.Move.Batch is { } batch ? waves.GetValueOrDefault(Wave.Key(batch)) : null;
            var outcome = item.Stream.Apply(Decide(state, report.Move, id, report.Address!, wave), Mailbox.Fold, state);
            if (outcome.State is { } after) streams[key] = (item.Stream, after);
            rows.Add(Row(report, outcome));
        }
        var failed = rows.Count(r => r.Status != 200);
        var recorded = rows.Count(r => r.Recorded is not null);
        return new Outcome<StatisticsResult>(new StatisticsResult(recorded, rows.Count - failed - recorded, failed, rows), null, recorded);
    }

    private static StatisticsRow Row(ExoMoveReport report, Outcome<Mailbox> outcome) => outcome switch
    {
        { Refusal: { } refusal } => new(report.Row, report.Address, report.ExoStatus, refusal.Status, null, refusal.Detail, null),
        { Recorded: 0 } => new(report.Row, report.Address, report.ExoStatus, 200, null, "Nothing new, or older than what is recorded: nothing changed.", null),
        _ => new(report.Row, report.Address, report.ExoStatus, 200, outcome.State!.Status,
            report.Held ? $"Exchange Online reports {report.ExoStatus}: the move stays {Kebab.Name(outcome.State.Status)}, with that as its detail." : "Recorded.", null),
    };

    public static void Configure(HttpChain chain) =>
        chain.Metadata.Accepts<ExoStatisticsRow[]>("application/json", "text/csv")
            .Produces<StatisticsResult>(200).Produces<StatisticsResult>(207)
            .ProducesProblem(400).ProducesProblem(404);

    [Tags("Mailboxes")]
    [RequestExample("""[{"EmailAddress":"ann@abc.com","Status":"Syncing","PercentageComplete":42,"SyncedItemCount":12040,"SkippedItemCount":0,"DataConsistencyScore":"Perfect","LastSuccessfulSyncTime":"\/Date(1790879400000)\/","BatchId":"Wave 2"}]""")]
    [RequestExample("text/csv", "#TYPE Deserialized.Microsoft.Exchange.Data.Storage.Management.MigrationUserStatistics\n\"EmailAddress\",\"Status\",\"PercentageComplete\",\"SyncedItemCount\",\"LastSuccessfulSyncTime\"\n\"ann@abc.com\",\"Synced\",\"95\",\"18211\",\"10/1/2026 6:30:00 PM\"\n")]
    [WolverinePost("/api/transitions/{id}/mailboxes/statistics", OperationId = "importMoveStatistics", Summary = "Import Exchange Online's move statistics",
        Description = "What `Get-MigrationUserStatistics` or `Get-MoveRequestStatistics` print, as `ConvertTo-Json` output or an `Export-Csv` file, from " +
                      "Windows PowerShell 5.1 (its `#TYPE` first line, `\\/Date(ms)\\/` dates) or PowerShell 7, with Exchange Online's own column names and " +
                      "status words. Each row is a move report on the mailbox it names (EmailAddress, MailboxEmailAddress, PrimarySmtpAddress or Identity): " +
                      "an older row than what is recorded changes nothing; a move first heard of as failed or completed is recorded so. Columns it does not " +
                      "use are ignored. CSV dates are local to the exporting machine: say how with `dateOrder` (mdy, dmy or ymd; default mdy) and `timeZone` " +
                      "(an IANA id; default UTC). A row without a timestamp counts as of `reportedAt` (default now). At most 5000 rows; 200 when every row " +
                      "was recorded or unchanged, 207 with per-row results when some were not.")]
    public static async Task<IResult> Post(string id, string? dateOrder, string? timeZone, DateTimeOffset? reportedAt, HttpRequest http,
        IDocumentSession session, TimeProvider time)
    {
        if (dateOrder is not (null or "mdy" or "dmy" or "ymd")) return Problem.Invalid("dateOrder", "dateOrder must be mdy, dmy or ymd.");
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
            return Problem.Invalid("timeZone", $"Unknown time zone '{timeZone}'; use an IANA id such as Europe/Berlin.");
        var now = time.GetUtcNow();
        if (reportedAt > now + Reported.FutureTolerance) return Problem.Invalid("reportedAt", "reportedAt is more than five minutes in the future.");
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);

        var table = await ExoStatistics.ParseAsync(http);
        if (table.Invalid is { } invalid) return TypedResults.ValidationProblem(invalid);
        var dates = new ExoDates(dateOrder ?? "mdy", zone, reportedAt ?? now, now);
        var outcome = await Handle(id, table.Rows.Select(r => ExoMoveReports.Read(r, dates)).ToList(), session);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        var result = outcome.State!;
        return result.Failed == 0 ? TypedResults.Ok(result) : TypedResults.Json(result, statusCode: 207);
    }
}

/// <summary>
/// A row as Exchange Online prints it (the columns this service reads; any others are ignored). Values may be 5.1's
/// `{"value": …, "Value": "…"}` wrappers and `\/Date(ms)\/` dates.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip)]
public record ExoStatisticsRow(string? EmailAddress, string? MailboxEmailAddress, string? PrimarySmtpAddress, string? Identity, string? Status,
    string? StatusDetail, int? PercentageComplete, int? PercentComplete, long? SyncedItemCount, long? ItemsTransferred, long? SkippedItemCount,
    long? BadItemsEncountered, long? LargeItemsEncountered, string? DataConsistencyScore, string? LastSuccessfulSyncTime, string? LastUpdateTimestamp,
    string? CompletionTimestamp, string? FailureTimestamp, string? BatchId, string? BatchName, string? Error, string? Message);

using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Mailboxes;

/// <param name="Items">This page, by address.</param>
/// <param name="Total">How many mailboxes the filters keep, in all.</param>
/// <param name="Page">The page number (offset paging).</param>
/// <param name="PageSize">The page size.</param>
/// <param name="Next">With cursor paging (`limit`/`after`): the cursor of the next page; absent on the last page.</param>
public record MailboxPage(IReadOnlyList<MailboxAnswer> Items, long Total, int Page, int PageSize,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Next = null);

public static class ListMailboxesEndpoint
{
    // (page - 1) × pageSize must fit the int the query skips by.
    private const int MaxPage = 1_000_000;

    [Tags("Mailboxes")]
    [WolverineGet("/api/transitions/{id}/mailboxes", OperationId = "listMailboxes", Summary = "List a transition's mailboxes",
        Description = "Filter by `status` (not-started, queued, syncing, synced, completed, failed), `kind`, `address` and `wave` (a wave id); `stalled` says whether a move is stalled now; paged by `page` (1–1,000,000) and `pageSize` (1–1000, default 100), or by `limit` (1–5000) and `after` (the `next` of the page before), which stays right while mailboxes are added. With `Accept: text/csv` or `format=csv`: every mailbox the filters keep, as a CSV file, streamed.")]
    public static async Task<Results<Ok<MailboxPage>, CsvFile, ProblemHttpResult>> Get(
        string id, IQuerySession session, string? status, string? kind, string? address, string? wave, int? page, int? pageSize, string? format, int? limit, string? after,
        HttpRequest http, Cursors cursors, TimeProvider time)
    {
        if (after is not null && (page is not null || pageSize is not null)) return Problem.Invalid("after", "Page either by page and pageSize, or by limit and after.");
        var list = $"mailboxes:{id}:{status}:{kind}:{address}:{wave}";
        var (paging, pagingProblem) = Paging.Of(limit, after, cursors, list, 1);
        if (pagingProblem is not null) return pagingProblem;
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        MoveStatus statusFilter = default;
        MailboxKind kindFilter = default;
        if (status is not null && !Kebab.TryParse(status, out statusFilter))
            return Problem.Invalid("status", $"Unknown status '{status}'; use one of {Kebab.Allowed<MoveStatus>()}.");
        if (kind is not null && !Kebab.TryParse(kind, out kindFilter))
            return Problem.Invalid("kind", $"Unknown kind '{kind}'; use one of {Kebab.Allowed<MailboxKind>()}.");
        if (address is not null && (address.Length is 0 or > 320 || address.Any(char.IsControl)))
            return Problem.Invalid("address", "address must be an e-mail address of at most 320 characters.");
        if (page is < 1 or > MaxPage) return Problem.Invalid("page", $"page must be between 1 and {MaxPage:N0}.");
        if (pageSize is < 1 or > 1000) return Problem.Invalid("pageSize", "pageSize must be between 1 and 1000.");
        if (wave is not null && (wave.Length is 0 or > 100 || wave.Any(char.IsControl))) return Problem.Invalid("wave", "wave must be a wave id.");
        if (await session.LoadAsync<Transition>(id) is not { } transition) return Problem.TransitionNotFound(id);

        var query = session.Query<Mailbox>().Where(m => m.TransitionId == id);
        if (status is not null) query = query.Where(m => m.Status == statusFilter);
        if (kind is not null) query = query.Where(m => m.Kind == kindFilter);
        if (address is not null)
        {
            var wanted = address.Trim().ToLowerInvariant();
            query = query.Where(m => m.Address == wanted);
        }
        if (wave is not null) query = query.Where(m => m.WaveId == wave);
        var now = time.GetUtcNow();
        if (CsvFile.Wanted(http, format))
            return CsvFile.Of(transition.Organisation, "mailboxes", now,
                ["address", "kind", "sizeGb", "status", "statusDetail", "percentComplete", "itemsSynced", "itemsSkipped", "badItems", "largeItems", "dataConsistencyScore",
                 "lastSyncAt", "batch", "waveId", "stalled", "error", "inventoriedAt", "statusChangedAt"],
                query.OrderBy(m => m.Address).ToAsyncEnumerable().Select(m => MailboxAnswer.Of(m, now, transition.Settings.StallAfter)),
                m => [m.Address, m.Kind, m.SizeGb, m.Status, m.StatusDetail, m.PercentComplete, m.ItemsSynced, m.ItemsSkipped, m.BadItems, m.LargeItems, m.DataConsistencyScore,
                    m.LastSyncAt, m.Batch, m.WaveId, m.Stalled, m.Error, m.InventoriedAt, m.StatusChangedAt]);
        if (limit is not null || after is not null)
        {
            var count = await query.CountAsync();
            if (paging!.After is [var last]) query = query.Where(m => string.Compare(m.Address, last) > 0);
            var found = await query.OrderBy(m => m.Address).Take(paging.Limit + 1).ToListAsync();
            var next = found.Count > paging.Limit ? cursors.After(list, found[paging.Limit - 1].Address) : null;
            return TypedResults.Ok(new MailboxPage(found.Take(paging.Limit).Select(m => MailboxAnswer.Of(m, now, transition.Settings.StallAfter)).ToList(),
                count, 1, paging.Limit, next));
        }
        var (p, size) = (page ?? 1, pageSize ?? 100);
        var items = await query.OrderBy(m => m.Address).Skip((p - 1) * size).Take(size).ToListAsync();
        var total = await query.CountAsync();
        return TypedResults.Ok(new MailboxPage(items.Select(m => MailboxAnswer.Of(m, now, transition.Settings.StallAfter)).ToList(), total, p, size));
    }
}

using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CloudTransition.Api.Mailboxes;

/// <param name="Address">The primary SMTP address.</param>
/// <param name="Kind">user-mailbox, resource-mailbox or shared-mailbox.</param>
/// <param name="SizeGb">Its size, when known (else the domain's estimate for its kind is used).</param>
/// <param name="OccurredAt">When it was inventoried; defaults to now.</param>
public record InventoryMailbox(string? Address, MailboxKind? Kind, decimal? SizeGb, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<InventoryMailbox>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Address).NotEmpty().MaximumLength(320).Matches(@"^[^@\s""<>()\[\],;:]+@([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")
                .WithMessage("'{PropertyValue}' is not an e-mail address.");
            RuleFor(x => x.Kind).NotNull().WithMessage("kind is required: user-mailbox, resource-mailbox or shared-mailbox.");
            RuleFor(x => x.SizeGb).InclusiveBetween(0, 100_000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>What happened to one row: 201 stored, 400 invalid, 409 already inventoried.</summary>
public record InventoryRow(int Row, string? Address, int Status, IDictionary<string, string[]>? Errors);

/// <summary>Per-row results of an inventory import.</summary>
public record InventoryResult(int Stored, int Failed, IReadOnlyList<InventoryRow> Rows);

public static class InventoryMailboxesEndpoint
{
    public const int MaxRows = 5000;

    public static void Configure(HttpChain chain) =>
        chain.Metadata.Accepts<InventoryMailbox[]>("application/json", "text/csv")
            .Produces<InventoryResult>(201).Produces<InventoryResult>(207)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

    [Tags("Mailboxes")]
    [RequestExample("""[{"address":"ann@abc.com","kind":"user-mailbox","sizeGb":38.5},{"address":"boardroom@abc.com","kind":"resource-mailbox"}]""")]
    [RequestExample("text/csv", "address,kind,sizeGb\nann@abc.com,user-mailbox,38.5\nboardroom@abc.com,resource-mailbox,\n")]
    [WolverinePost("/api/transitions/{id}/mailboxes", OperationId = "inventoryMailboxes", Summary = "Add mailboxes to the inventory",
        Description = "One mailbox object, an array of them, or `text/csv` with the columns address, kind, sizeGb (and optionally occurredAt). " +
                      "One mailbox answers 201 or a problem; several answer 201 when all were stored, 207 with per-row results when some were not " +
                      "(a bad kind, a bad address, an address already inventoried), and 400 when none was. At most 5000 rows.")]
    public static async Task<IResult> Post(string id, HttpRequest http, IDocumentSession session, IOptions<JsonOptions> json,
        IValidator<InventoryMailbox> validator, TimeProvider time)
    {
        if (await session.LoadAsync<Transition>(id) is null) return Problem.TransitionNotFound(id);
        var parsed = await InventoryParser.ParseAsync(http, json.Value.SerializerOptions);
        if (parsed.Problem is { } problem) return problem;
        var outcome = await Handle(id, parsed.Rows, session, validator, time);
        return outcome.Refusal is { } refusal ? refusal.Problem() : Answer(id, parsed.Single, outcome.State!);
    }

    /// <summary>Stores the valid, new rows and answers what happened to each; shared by the endpoint and the `mailbox.inventoried` webhook.</summary>
    public static async Task<Outcome<List<InventoryRow>>> Handle(string id, IReadOnlyList<ParsedRow> parsed, IDocumentSession session,
        IValidator<InventoryMailbox> validator, TimeProvider time)
    {
        if (parsed.Count > MaxRows) return Common.Refusal.Invalid.Field("body", $"At most {MaxRows} mailboxes per request; got {parsed.Count}.");
        var rows = await Check(id, parsed, session, validator);
        foreach (var (row, request) in rows.Zip(parsed).Where(r => r.First.Status == 201))
        {
            var e = new MailboxInventoried(id, row.Address!, request.Mailbox!.Kind!.Value, request.Mailbox.SizeGb, request.Mailbox.At(time));
            session.Events.StartStream<Mailbox>(TransitionStreams.Mailbox(id, row.Address!), e);
        }
        return new Outcome<List<InventoryRow>>(rows, null, rows.Count(r => r.Status == 201));
    }

    /// <summary>A row that was not stored, as a refusal (a webhook's single mailbox).</summary>
    public static Refusal? Refused(this InventoryRow row) => row.Status switch
    {
        201 => null,
        409 => new Common.Refusal.Conflict($"Mailbox '{row.Address}' is already inventoried."),
        _ => new Common.Refusal.Invalid(row.Errors!.ToDictionary()),
    };

    private static async Task<List<InventoryRow>> Check(string id, IReadOnlyList<ParsedRow> parsed, IDocumentSession session, IValidator<InventoryMailbox> validator)
    {
        var addresses = parsed.Select(r => r.Mailbox?.Address?.Trim().ToLowerInvariant()).OfType<string>().Distinct().ToArray();
        var existing = (await session.Query<Mailbox>().Where(m => m.TransitionId == id && addresses.Contains(m.Address))
            .Select(m => m.Address).ToListAsync()).ToHashSet();
        var seen = new HashSet<string>();
        var rows = new List<InventoryRow>();
        foreach (var (row, index) in parsed.Select((r, i) => (r, i + 1)))
        {
            var address = row.Mailbox?.Address?.Trim().ToLowerInvariant();
            var errors = row.Errors ?? (await validator.ValidateAsync(row.Mailbox!)).ToDictionary();
            if (errors.Count > 0) rows.Add(new InventoryRow(index, address, 400, errors));
            else if (existing.Contains(address!) || !seen.Add(address!))
                rows.Add(new InventoryRow(index, address, 409, new Dictionary<string, string[]> { ["address"] = [$"'{address}' is already inventoried."] }));
            else rows.Add(new InventoryRow(index, address, 201, null));
        }
        return rows;
    }

    private static IResult Answer(string id, bool single, IReadOnlyList<InventoryRow> rows)
    {
        var stored = rows.Count(r => r.Status == 201);
        var result = new InventoryResult(stored, rows.Count - stored, rows);
        if (single)
        {
            var row = rows[0];
            return row.Status switch
            {
                201 => TypedResults.Created($"/api/transitions/{id}/mailboxes?address={Uri.EscapeDataString(row.Address!)}", result),
                409 => Problem.Conflict($"Mailbox '{row.Address}' is already inventoried."),
                _ => TypedResults.ValidationProblem(row.Errors!),
            };
        }
        if (stored == rows.Count) return TypedResults.Created($"/api/transitions/{id}/mailboxes", result);
        if (stored > 0) return TypedResults.Json(result, statusCode: 207);
        var errors = rows.SelectMany(r => r.Errors!.Select(e => (Key: $"[{r.Row}].{e.Key}", e.Value))).ToDictionary(e => e.Key, e => e.Value);
        return TypedResults.ValidationProblem(errors, detail: "No mailbox was stored.", extensions: new Dictionary<string, object?> { ["rows"] = rows });
    }
}

using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Waves;

/// <param name="Addresses">The mailboxes to put in the wave (1–5000), by address; each leaves the wave it was in.</param>
/// <param name="OccurredAt">When they were assigned; defaults to now.</param>
public record AssignWaveMailboxes(IReadOnlyList<string>? Addresses, DateTimeOffset? OccurredAt) : IReported
{
    public const int MaxAddresses = 5000;

    public class Validator : AbstractValidator<AssignWaveMailboxes>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Addresses).NotEmpty().Must(a => a!.Count <= MaxAddresses).WithMessage($"addresses holds at most {MaxAddresses} mailboxes.");
            RuleForEach(x => x.Addresses).NotEmpty().MaximumLength(320);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>What happened to one address: 200 assigned (or already in the wave), 404 not inventoried.</summary>
public record AssignedRow(string Address, int Status, string Detail);

/// <summary>Per-address results.</summary>
public record AssignResult(string WaveId, int Assigned, int Unchanged, int Failed, IReadOnlyList<AssignedRow> Rows);

public static class AssignWaveMailboxesEndpoint
{
    public static Decision Decide(Mailbox? mailbox, Wave wave, string id, string address, DateTimeOffset at)
    {
        if (mailbox is null) return new Refusal.NotFound($"No mailbox '{address}' in transition '{id}'.");
        if (mailbox.WaveId == wave.WaveId || !mailbox.Holds(wave.WaveId, at)) return Decision.Nothing; // already so, or a later assignment holds
        return Decision.Accept(new MailboxAssignedToWave(id, mailbox.Address, wave.WaveId, mailbox.WaveId, at));
    }

    public static async Task<Outcome<AssignResult>> Handle(string id, string waveId, AssignWaveMailboxes r, IDocumentSession session, TimeProvider time)
    {
        if (await session.WaveById(id, waveId) is not { } wave) return new Refusal.NotFound($"No wave '{waveId}' in transition '{id}'.");
        var addresses = r.Addresses!.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await session.FetchAhead<Mailbox>(addresses.Select(a => TransitionStreams.Mailbox(id, a)).ToList());
        var rows = new List<AssignedRow>();
        var (at, assigned) = (r.At(time), 0);
        foreach (var address in addresses)
        {
            var stream = await session.StreamForWriting<Mailbox>(TransitionStreams.Mailbox(id, address));
            var outcome = stream.Apply(Decide(stream.Aggregate, wave, id, address, at), Mailbox.Fold);
            rows.Add(outcome switch
            {
                { Refusal: { } refusal } => new AssignedRow(address, refusal.Status, refusal.Detail),
                { Recorded: > 0 } => new AssignedRow(outcome.State!.Address, 200, $"Now in wave '{wave.Name}'."),
                { State.WaveId: var current } when current == wave.WaveId => new AssignedRow(outcome.State!.Address, 200, $"Already in wave '{wave.Name}'."),
                _ => new AssignedRow(outcome.State!.Address, 200, "A later assignment put it in another wave; nothing changed."),
            });
            if (outcome.Recorded > 0) assigned++;
        }
        var failed = rows.Count(row => row.Status != 200);
        return new Outcome<AssignResult>(new AssignResult(wave.WaveId, assigned, rows.Count - failed - assigned, failed, rows), null, assigned);
    }

    public static void Configure(HttpChain chain) => chain.Metadata.Produces<AssignResult>(207);

    [Tags("Waves")]
    [RequestExample("""{"addresses":["ann@abc.com","bob@abc.com"]}""")]
    [WolverinePost("/api/transitions/{id}/waves/{waveId}/mailboxes", OperationId = "assignWaveMailboxes", Summary = "Put mailboxes in a wave",
        Description = "A mailbox is in at most one wave: assigning it here takes it out of the one it was in (recorded in its history). " +
                      "200 when every address was assigned or already in the wave; 207 with per-address results when some were not (404: not inventoried).")]
    public static async Task<Results<Ok<AssignResult>, JsonHttpResult<AssignResult>, ProblemHttpResult>> Post(string id, string waveId,
        AssignWaveMailboxes r, IDocumentSession session, TimeProvider time)
    {
        var outcome = await Handle(id, waveId, r, session, time);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        var result = outcome.State!;
        return result.Failed == 0 ? TypedResults.Ok(result) : TypedResults.Json(result, statusCode: 207);
    }
}

using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Waves;

/// <param name="Name">e.g. `Q4 close`.</param>
/// <param name="Start">When the window opens.</param>
/// <param name="End">When it closes; after `start`.</param>
/// <param name="Reason">Why no cutover should happen then.</param>
/// <param name="OccurredAt">When it was declared; defaults to now.</param>
public record DeclareBlackout(string? Name, DateTimeOffset? Start, DateTimeOffset? End, string? Reason, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<DeclareBlackout>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Start).NotNull();
            RuleFor(x => x.End).NotNull().GreaterThan(x => x.Start).When(x => x.Start is not null).WithMessage("end must be after start.");
            RuleFor(x => x.Reason).MaximumLength(2000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class DeclareBlackoutEndpoint
{
    public static Decision Decide(DeclareBlackout r, string id, string blackoutId, DateTimeOffset at) =>
        Decision.Accept(new BlackoutDeclared(id, blackoutId, r.Name!.Trim(), r.Start!.Value, r.End!.Value, r.Reason, at));

    public static async Task<Outcome<Blackout>> Handle(string id, DeclareBlackout r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var blackoutId = TransitionChecks.NewItemId();
        return session.StartWith<Blackout>(Blackout.StreamKey(id, blackoutId), Decide(r, id, blackoutId, r.At(time)), Blackout.Fold);
    }

    [Tags("Waves")]
    [RequestExample("""{"name":"Q4 close","start":"2026-12-24T00:00:00Z","end":"2027-01-04T00:00:00Z","reason":"Finance year-end"}""")]
    [WolverinePost("/api/transitions/{id}/blackouts", OperationId = "declareBlackout", Summary = "Declare a blackout window",
        Description = "No cutover should be planned inside it: a wave whose planned completion falls inside one is a dashboard risk (`wave-in-blackout`).")]
    public static async Task<Results<Created<BlackoutAnswer>, ProblemHttpResult>> Post(string id, DeclareBlackout r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, r, session, time)).Answer(b => TypedResults.Created($"/api/transitions/{id}/blackouts/{b.BlackoutId}", BlackoutAnswer.Of(b)));

    [Tags("Waves")]
    [WolverineGet("/api/transitions/{id}/blackouts", OperationId = "listBlackouts", Summary = "The transition's blackout windows",
        Description = "Every blackout window declared for the transition, by start.")]
    public static Task<Results<Ok<IReadOnlyList<BlackoutAnswer>>, ProblemHttpResult>> List(string id, IQuerySession session) =>
        session.ItemsOf<Blackout, BlackoutAnswer>(id, b => b.Start, BlackoutAnswer.Of);

    [Tags("Waves")]
    [WolverineGet("/api/transitions/{id}/blackouts/{blackoutId}", OperationId = "getBlackout", Summary = "One blackout window",
        Description = "The window, its reason and when it was declared.")]
    public static async Task<Results<Ok<BlackoutAnswer>, ProblemHttpResult>> Get(string id, string blackoutId, IQuerySession session) =>
        await session.LoadAsync<Blackout>(Blackout.StreamKey(id, blackoutId)) is { } blackout
            ? TypedResults.Ok(BlackoutAnswer.Of(blackout))
            : new Refusal.NotFound($"No blackout '{blackoutId}' in transition '{id}'.").Problem();
}

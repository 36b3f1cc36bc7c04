using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

/// <param name="Organisation">The organisation moving to Office 365, e.g. `ABC Ltd`.</param>
/// <param name="Domains">Its e-mail domains, e.g. `["abc.com"]`.</param>
/// <param name="PlannedCompletion">When the move is planned to be complete.</param>
/// <param name="OccurredAt">When the transition started; defaults to now.</param>
public record StartTransition(string? Organisation, IReadOnlyList<string>? Domains, DateOnly? PlannedCompletion, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<StartTransition>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Organisation).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Domains).NotEmpty().Must(d => d!.Count <= 100).WithMessage("At most 100 domains.")
                .Must(d => d!.Distinct(StringComparer.OrdinalIgnoreCase).Count() == d!.Count).WithMessage("Domains must not repeat.");
            RuleForEach(x => x.Domains).NotEmpty().Matches(DomainNames.Pattern).WithMessage("'{PropertyValue}' is not a domain name.");
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>The id of the new transition.</summary>
public record TransitionCreated(string Id);

public static class StartTransitionEndpoint
{
    [Tags("Transitions")]
    [RequestExample("""{"organisation":"ABC Ltd","domains":["abc.com"],"plannedCompletion":"2027-06-30"}""")]
    [WolverinePost("/api/transitions", OperationId = "startTransition", Summary = "Start tracking a transition",
        Description = "Creates a transition in the assessment phase for the caller's tenant.")]
    public static Created<TransitionCreated> Post(StartTransition request, IDocumentSession session, TimeProvider time)
    {
        var id = Guid.CreateVersion7().ToString();
        var domains = request.Domains!.Select(d => d.ToLowerInvariant()).ToList();
        session.Events.StartStream<Transition>(TransitionStreams.Transition(id),
            new TransitionStarted(id, request.Organisation!.Trim(), domains, request.PlannedCompletion, request.At(time)));
        return TypedResults.Created($"/api/transitions/{id}", new TransitionCreated(id));
    }
}

public static class DomainNames
{
    public const string Pattern = @"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$";
}

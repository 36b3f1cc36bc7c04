using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudTransition.Api.Common;

/// <summary>Shorthands for the refusals reads and parsers give, answered through the one mapping (<see cref="Refusals.Problem"/>).</summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) => new Refusal.NotFound(detail).Problem();
    public static ProblemHttpResult Conflict(string detail) => new Refusal.Conflict(detail).Problem();
    public static ProblemHttpResult Invalid(string field, string message) => Refusal.Invalid.Field(field, message).Problem();
    public static ProblemHttpResult TransitionNotFound(string id) => Refusal.NoTransition(id).Problem();
}

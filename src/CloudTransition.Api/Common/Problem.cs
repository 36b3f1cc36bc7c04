using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Common;

/// <summary>The 4xx answers endpoints give for rules that need state.</summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) => Make(404, "Not found", detail);
    public static ProblemHttpResult Conflict(string detail) => Make(409, "Conflict", detail);
    public static ProblemHttpResult Unprocessable(string detail) => Make(422, "Rule refused", detail);

    public static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400, Title = "One or more validation errors occurred.",
        });

    public static ProblemHttpResult TransitionNotFound(string id) => NotFound($"No transition '{id}'.");

    private static ProblemHttpResult Make(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

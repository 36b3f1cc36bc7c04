using CloudTransition.Api.Common;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Wolverine answers an unparseable query value (`?asOf=yesterday`) with a problem whose detail names the .NET type it
/// expected. This rewrites it as the other 400s read: `errors` naming the parameter and what it accepts, no type name.
/// </summary>
public static class QueryValueProblems
{
    private const string WolverineTitle = "Invalid query string value", ExpectedType = "expected type ";

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Title != WolverineTitle || problem.Extensions["parameter"] is not string parameter) return;
        var expected = problem.Detail is { } detail && detail.IndexOf(ExpectedType, StringComparison.Ordinal) is var at and >= 0
            ? detail[(at + ExpectedType.Length)..] : "";
        var message = $"{parameter} must be {Accepted(expected)}.";
        problem.Title = "One or more validation errors occurred.";
        problem.Detail = message;
        problem.Extensions.Remove("parameter");
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [parameter] = [message] };
    }

    private static string Accepted(string typeName) => typeName switch
    {
        _ when typeName.Contains("DateTimeOffset") => "an ISO-8601 instant with offset, e.g. 2026-05-04T09:30:00Z",
        _ when typeName.Contains("DateOnly") => "a date, e.g. 2026-12-31",
        _ when typeName.Contains("Boolean") => "true or false",
        _ when typeName.Contains("Int") => "a whole number in range",
        _ when typeName.Contains("Decimal") || typeName.Contains("Double") => "a number in range",
        _ when EnumType(typeName) is { } type => $"one of: {Kebab.Allowed(type)}",
        _ => "a valid value",
    };

    private static Type? EnumType(string typeName) =>
        new[] { typeof(Program).Assembly, typeof(Contracts.ITransitionEvent).Assembly }.Select(a => a.GetType(typeName)).FirstOrDefault(t => t?.IsEnum == true);
}

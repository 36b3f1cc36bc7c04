using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Common;

/// <summary>Why a command is refused: a domain value. HTTP answers it through <see cref="Refusals.Problem"/>, a webhook delivery records it.</summary>
public abstract record Refusal(int Status, string Detail)
{
    public sealed record NotFound(string Detail) : Refusal(404, Detail);

    /// <summary>The command contradicts the item's state (or a stale version); <c>Title</c> and <c>Extensions</c> say more where a client acts on it.</summary>
    public sealed record Conflict(string Detail, string Title = "Conflict", IReadOnlyDictionary<string, object?>? Extensions = null) : Refusal(409, Detail);

    /// <summary>A domain rule refuses it (a method the device cannot use).</summary>
    public sealed record Unprocessable(string Detail) : Refusal(422, Detail);

    /// <summary>Fields that are missing or invalid.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Refusal(400, "One or more validation errors occurred.")
    {
        public static Invalid Field(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
    }

    public static NotFound NoTransition(string id) => new($"No transition '{id}'.");
}

/// <summary>What a pure decider says: the events that follow (none when the item already is so), or a refusal.</summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal)
{
    public static Decision Accept(params object[] events) => new(events, null);

    /// <summary>Already so: 200 and nothing recorded.</summary>
    public static readonly Decision Nothing = new([], null);

    public static implicit operator Decision(Refusal refusal) => new([], refusal);
}

/// <summary>A command run: the item's state after it and how many events it recorded, or the refusal.</summary>
public sealed record Outcome<T>(T? State, Refusal? Refusal, int Recorded = 0) where T : class
{
    public static implicit operator Outcome<T>(Refusal refusal) => new(null, refusal);

    /// <summary>The HTTP answer: <paramref name="ok"/> of the state, or the refusal as a problem.</summary>
    public Results<TOk, ProblemHttpResult> Answer<TOk>(Func<T, TOk> ok) where TOk : IResult =>
        Refusal is { } refusal ? refusal.Problem() : ok(State!);
}

public static class Refusals
{
    /// <summary>The one mapping of refusals to RFC 9457 answers.</summary>
    public static ProblemHttpResult Problem(this Refusal refusal) => refusal switch
    {
        Refusal.Invalid invalid => TypedResults.Problem(new HttpValidationProblemDetails(invalid.Errors.ToDictionary()) { Status = 400, Title = invalid.Detail }),
        Refusal.Conflict conflict => TypedResults.Problem(WithExtensions(new ProblemDetails { Status = 409, Title = conflict.Title, Detail = conflict.Detail }, conflict.Extensions)),
        Refusal.NotFound => TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found", Detail = refusal.Detail }),
        _ => TypedResults.Problem(new ProblemDetails { Status = refusal.Status, Title = "Rule refused", Detail = refusal.Detail }),
    };

    private static ProblemDetails WithExtensions(ProblemDetails problem, IReadOnlyDictionary<string, object?>? extensions)
    {
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
        return problem;
    }

    /// <summary>
    /// Appends what the decider decided to an item's stream (new or not) and answers the state after it: after the stream's state as
    /// fetched, or after <paramref name="from"/> when earlier commands of the same request already appended to it.
    /// </summary>
    public static Outcome<T> Apply<T>(this IEventStream<T> stream, Decision decision, Func<T?, object, T?> fold, T? from = null) where T : ItemState
    {
        if (decision.Refusal is { } refusal) return refusal;
        stream.AppendMany(decision.Events);
        var state = decision.Events.Aggregate(from ?? stream.Aggregate, (s, e) => s.After(stream.Key!, e, fold));
        return new Outcome<T>(state, null, decision.Events.Count);
    }

    /// <summary>Starts an item's stream with what the decider decided and answers the state after it.</summary>
    public static Outcome<T> StartWith<T>(this IDocumentSession session, string key, Decision decision, Func<T?, object, T?> fold) where T : ItemState
    {
        if (decision.Refusal is { } refusal) return refusal;
        session.Events.StartStream<T>(key, decision.Events.ToArray());
        var state = decision.Events.Aggregate((T?)null, (s, e) => s.After(key, e, fold));
        return new Outcome<T>(state, null, decision.Events.Count);
    }
}

using System.Linq.Expressions;
using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudTransition.Api.Transitions;

public static class TransitionChecks
{
    /// <summary>Whether the caller's tenant has this transition (another tenant's id is simply not there).</summary>
    public static async Task<bool> TransitionExists(this IQuerySession session, string id) =>
        await session.LoadAsync<Transition>(id) is not null;

    /// <summary>A transition's items of one kind, in order, as answers; 404 for a transition the caller's tenant does not have.</summary>
    public static async Task<Results<Ok<IReadOnlyList<TAnswer>>, ProblemHttpResult>> ItemsOf<T, TAnswer>(this IQuerySession session, string id,
        Expression<Func<T, object>> order, Func<T, TAnswer> answer) where T : ItemState
    {
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
        var items = await session.Query<T>().Where(i => i.TransitionId == id).OrderBy(order).ToListAsync();
        return TypedResults.Ok<IReadOnlyList<TAnswer>>(items.Select(answer).ToList());
    }

    /// <summary>A transition's one item of a kind (its hybrid configuration, its directory sync) as an answer, or its empty state.</summary>
    public static async Task<Results<Ok<TAnswer>, ProblemHttpResult>> ItemOf<T, TAnswer>(this IQuerySession session, string id, string key,
        Func<string, T> none, Func<T, TAnswer> answer) where T : ItemState
    {
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
        return TypedResults.Ok(answer(await session.LoadAsync<T>(key) ?? none(id)));
    }

    public static string NewItemId() => Guid.CreateVersion7().ToString("N")[..20];
}

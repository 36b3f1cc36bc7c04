using Marten;

namespace CloudTransition.Api.Transitions;

public static class TransitionChecks
{
    /// <summary>Whether the caller's tenant has this transition (another tenant's id is simply not there).</summary>
    public static async Task<bool> TransitionExists(this IQuerySession session, string id) =>
        await session.LoadAsync<Transition>(id) is not null;

    public static string NewItemId() => Guid.CreateVersion7().ToString("N")[..20];
}

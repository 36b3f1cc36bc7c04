using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace CloudTransition.Api.Views;

/// <summary>
/// Keeps each transition's <see cref="TransitionView"/> and its <see cref="MailboxItem"/> documents.
/// Async, not inline: every item of a transition has its own stream so that concurrent appends never contend, but
/// the view gathers all of them; inline, two concurrent appends would each load, change and store it and one
/// change would be lost. The daemon applies one batch at a time, on one node (Wolverine's managed distribution),
/// loading the views and mailboxes a batch touches with one query each and storing them with one round trip.
/// </summary>
public class TransitionViewProjection : IProjection
{
    public const string Name = "TransitionViews";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var happened = events.Select(e => e.Data).OfType<ITransitionEvent>().ToList();
        if (happened.Count == 0) return;

        var views = (await operations.LoadManyAsync<TransitionView>(cancellation, happened.Select(e => e.TransitionId).Distinct()))
            .ToDictionary(v => v.Id);
        var mailboxes = (await operations.LoadManyAsync<MailboxItem>(cancellation, happened.Select(MailboxKey).OfType<string>().Distinct()))
            .ToDictionary(m => m.Id);
        var touched = new Dictionary<string, MailboxItem>();
        foreach (var e in happened)
        {
            if (!views.TryGetValue(e.TransitionId, out var view)) views[e.TransitionId] = view = new TransitionView { Id = e.TransitionId };
            view.Record(e, key =>
            {
                if (!mailboxes.TryGetValue(key, out var mailbox)) mailboxes[key] = mailbox = new MailboxItem();
                return touched[key] = mailbox;
            });
        }

        foreach (var view in views.Values) operations.Store(view);
        foreach (var mailbox in touched.Values) operations.Store(mailbox);
    }

    private static string? MailboxKey(ITransitionEvent e) => e switch
    {
        MailboxInventoried m => TransitionStreams.Mailbox(m.TransitionId, m.Address),
        MailboxMoveStatusChanged m => TransitionStreams.Mailbox(m.TransitionId, m.Address),
        _ => null,
    };
}

public static class ViewDocuments
{
    public static void AddViewDocuments(this StoreOptions opts)
    {
        // New aliases (and projection name) for the split layout, so a store holding the earlier single-document views rebuilds from scratch.
        opts.Schema.For<TransitionView>().DocumentAlias("transition_summary");
        // The dependency list reads a transition's remaining mailboxes: a partial index holds just those.
        opts.Schema.For<MailboxItem>().DocumentAlias("mailbox_ledger").Duplicate(m => m.IsDependency)
            .Duplicate(m => m.TransitionId, configure: index =>
            {
                TransitionIndex.PerTenant(index);
                index.Predicate = "is_dependency";
            });
        opts.Projections.Add(new TransitionViewProjection(), ProjectionLifecycle.Async, TransitionViewProjection.Name, o =>
        {
            o.DeleteViewTypeOnTeardown<TransitionView>();
            o.DeleteViewTypeOnTeardown<MailboxItem>();
        });
    }
}

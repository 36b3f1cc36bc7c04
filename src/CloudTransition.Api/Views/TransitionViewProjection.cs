using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using CloudTransition.Api.Views.Checkpoints;

namespace CloudTransition.Api.Views;

/// <summary>
/// Keeps each transition's <see cref="TransitionView"/> and its <see cref="MailboxEntry"/> documents.
/// Async, not inline: every item of a transition has its own stream so that concurrent appends never contend, but
/// the view gathers all of them; inline, two concurrent appends would each load, change and store it and one
/// change would be lost. The daemon applies one batch at a time, on one node (Wolverine's managed distribution),
/// loading the views and mailboxes a batch touches with one query each and storing them with one round trip.
/// </summary>
/// <param name="keepsMailboxStates">In a rebuild: also store each mailbox's state (its inline snapshot), folded here anyway.</param>
public class TransitionViewProjection(bool keepsMailboxStates = false) : IProjection
{
    public const string Name = "TransitionWaveViews";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var happened = events.Where(e => e.Data is ITransitionEvent).Select(e => (e.Version, Data: (ITransitionEvent)e.Data)).ToList();
        if (happened.Count == 0) return;

        var views = (await operations.LoadManyAsync<TransitionView>(cancellation, happened.Select(e => e.Data.TransitionId).Distinct()))
            .ToDictionary(v => v.Id);
        var mailboxes = new Entries((await operations.LoadManyAsync<MailboxEntry>(cancellation,
            happened.Select(e => TransitionView.MailboxKey(e.Data)).OfType<string>().Distinct())).ToDictionary(m => m.Id));
        foreach (var (version, e) in happened)
        {
            if (!views.TryGetValue(e.TransitionId, out var view)) views[e.TransitionId] = view = new TransitionView { Id = e.TransitionId };
            mailboxes.StreamVersion = version;
            view.Record(e, mailboxes);
        }

        foreach (var view in views.Values) operations.Store(view);
        foreach (var entry in mailboxes.Touched) operations.Store(entry);
        if (keepsMailboxStates) foreach (var state in mailboxes.States) operations.UpdateRevision(state, state.Version);
    }

    /// <summary>The mailbox entries of a batch: loaded with one query, stored with one round trip.</summary>
    private sealed class Entries(Dictionary<string, MailboxEntry> loaded) : IMailboxStates
    {
        private readonly Dictionary<string, (MailboxEntry Entry, long Version)> _touched = [];
        public IEnumerable<MailboxEntry> Touched => _touched.Values.Select(t => t.Entry);

        /// <summary>Each touched mailbox's state as its stream's inline snapshot holds it: keyed by stream, at its stream's version.</summary>
        public IEnumerable<Mailbox> States => _touched.Values.Select(t => t.Entry.Mailbox with { Id = t.Entry.Id, Version = (int)t.Version });

        /// <summary>The version, in its own stream, of the event being applied.</summary>
        public long StreamVersion { get; set; }

        public Mailbox? Find(string key) => loaded.GetValueOrDefault(key)?.Mailbox;

        public void Keep(string key, Mailbox mailbox)
        {
            if (!loaded.TryGetValue(key, out var entry)) loaded[key] = entry = new MailboxEntry { Id = key, TransitionId = mailbox.TransitionId };
            entry.Mailbox = mailbox;
            _touched[key] = (entry, StreamVersion);
        }
    }
}

public static class ViewDocuments
{
    /// <summary>The view's documents and its projection, handed <paramref name="pageSize"/> events at a time by the daemon.</summary>
    public static void AddViewDocuments(this StoreOptions opts, int pageSize, bool keepsMailboxStates = false)
    {
        // New aliases (and projection name) whenever the layout changes (last: waves, scope and stalls), so a store holding earlier views rebuilds them.
        opts.Schema.For<TransitionView>().DocumentAlias("transition_wave_view");
        // The dependency list reads a transition's remaining mailboxes, by address: one partial index holds just those
        // (ViewSchema's, on the two columns duplicated here). Duplicated without Marten's own index on each: nothing read by
        // `is_dependency` alone, and one on the transition would be a prefix of that index, two more writes per entry to no use.
        opts.Schema.For<MailboxEntry>().DocumentAlias("wave_mailbox_entry").IgnoreIndex(MailboxEntry.RemainingByAddress);
        opts.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(MailboxEntry)) return;
            mapping.DuplicateField(nameof(MailboxEntry.IsDependency));
            mapping.DuplicateField(nameof(MailboxEntry.TransitionId));
        });
        opts.AddViewCheckpoints();
        opts.Projections.Add(new TransitionViewProjection(keepsMailboxStates), ProjectionLifecycle.Async, TransitionViewProjection.Name, o =>
        {
            if (keepsMailboxStates) o.DeleteViewTypeOnTeardown<Mailbox>();
            o.BatchSize = pageSize;
            o.DeleteViewTypeOnTeardown<TransitionView>();
            o.DeleteViewTypeOnTeardown<MailboxEntry>();
            o.DeleteViewTypeOnTeardown<Checkpoints.ViewCheckpoint>();
        });
    }
}

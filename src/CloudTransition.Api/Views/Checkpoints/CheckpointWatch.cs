using System.Collections.Concurrent;
using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Views.Checkpoints;

/// <summary>`Views` settings: how many events lie between two checkpoints of a transition's view, and how often they are looked for.</summary>
public sealed class CheckpointOptions
{
    public int CheckpointEvery { get; set; } = 2_000;
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Keeps each transition's checkpoints (<see cref="ViewCheckpoint"/>) within <see cref="CheckpointOptions.CheckpointEvery"/> events of its
/// view: every interval, on one node, it finds the transitions whose view holds that many events more than their last checkpoint (new events,
/// or a late one that dropped checkpoints) and cuts new ones from the last that is left.
/// </summary>
public sealed class CheckpointWatch(IDocumentStore store, CheckpointOptions options, ILogger<CheckpointWatch> log) : SingleNodeJob(store, log)
{
    protected override long LockKey => 0x43_54_43_48_45_43_4B_50; // "CTCHECKP"
    protected override TimeSpan Interval => options.CheckpointInterval;

    /// <summary>Transitions whose events could not be cut (all at one instant), by how many events they had then: not tried again until that changes.</summary>
    private readonly ConcurrentDictionary<(string Tenant, string Id), long> _uncut = new();

    protected override async Task Run(NpgsqlConnection connection, CancellationToken ct)
    {
        foreach (var (tenant, id, events, behind) in await Behind(connection, null, ct))
        {
            if (_uncut.TryGetValue((tenant, id), out var tried) && tried == events) continue;
            if (await Cut(tenant, id, behind, ct) == 0) _uncut[(tenant, id)] = events;
            else _uncut.TryRemove((tenant, id), out _);
        }
    }

    /// <summary>Cuts the transition's next checkpoints if its view is <see cref="CheckpointOptions.CheckpointEvery"/> events or more past the last; returns how many.</summary>
    public async Task<int> Build(string tenant, string id, CancellationToken ct = default)
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return (await Behind(connection, (tenant, id), ct)) is [var due] ? await Cut(tenant, id, due.Behind, ct) : 0;
    }

    /// <summary>
    /// Usually (events recorded about when they happened, fewer than four steps since the last checkpoint) one checkpoint after the view's last
    /// event, from the view itself (<see cref="CutAfterView"/>); otherwise (a history imported at once, or a late event that dropped checkpoints)
    /// one step at a time (<see cref="CutNext"/>) until fewer than <see cref="CheckpointOptions.CheckpointEvery"/> events follow the last.
    /// </summary>
    private async Task<int> Cut(string tenant, string id, long behind, CancellationToken ct)
    {
        if (behind < 4 * options.CheckpointEvery) return await CutAfterView(tenant, id, ct) ? 1 : 0; // else tried again next time
        var cut = 0;
        while (await CutNext(tenant, id, ct)) cut++;
        if (cut > 0) Log.LogInformation("Cut {Count} checkpoints of transition {TransitionId} of {Tenant}", cut, id, tenant);
        return cut;
    }

    /// <summary>
    /// Cuts a checkpoint just after the view's last event, from the view document as it is, when it holds every event of the transition (the
    /// async view has caught up with it; it is counted under the build lock, so none can be added meanwhile): no event is read or folded.
    /// </summary>
    private async Task<bool> CutAfterView(string tenant, string id, CancellationToken ct)
    {
        await using var connection = await Locked(tenant, id, ct);
        await using var command = new NpgsqlCommand(
            $"select v.data, (select count(*) from {StoreSchema.Name}.mt_events where tenant_id = $1 and data ->> 'transitionId' = $2) " +
            $"from {StoreSchema.Name}.mt_doc_transition_wave_view v where v.tenant_id = $1 and v.id = $2", connection)
        {
            Parameters = { new() { Value = tenant }, new() { Value = id } },
        };
        var serializer = Store.Options.Serializer();
        TransitionView? view = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
            if (await reader.ReadAsync(ct) && reader.GetInt64(1) is var events && serializer.FromJson<TransitionView>(reader, 0) is { } read && read.Events == events)
                view = read;
        if (view?.LastEventAt is not { } last) return false;

        var at = last + TimeSpan.FromMicroseconds(1);
        await Save(connection, serializer, tenant, new ViewCheckpoint { Id = ViewCheckpoint.Key(id, at), TransitionId = id, At = at, View = view }, ct);
        await connection.Transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Cuts one checkpoint after the last: the last one (or nothing) with the next <see cref="CheckpointOptions.CheckpointEvery"/> events in event
    /// time folded on top (and any more at the same instant as the last of them: a checkpoint lies between two instants), each mailbox they touch
    /// starting from its state at the last checkpoint. Holds the transition's build lock meanwhile, so no append can slip an earlier event past
    /// it (appends of the transition wait for the one step). Holds one step's events and mailboxes in memory, not the transition's.
    /// </summary>
    private async Task<bool> CutNext(string tenant, string id, CancellationToken ct)
    {
        await using var connection = await Locked(tenant, id, ct);
        var serializer = Store.Options.Serializer();
        var reading = new EventTime.Reading(connection, serializer, tenant, id);
        var last = await reading.LatestCheckpoint(null);
        if (await NextStep(reading, last?.At) is not var (events, at)) return false;

        var view = last?.View ?? new TransitionView { Id = id };
        var mailboxes = last is null ? [] : await reading.MailboxesBefore(last.At, events[^1].OccurredAt);
        foreach (var e in events) view.Continue(e, mailboxes);
        await Save(connection, serializer, tenant, new ViewCheckpoint { Id = ViewCheckpoint.Key(id, at), TransitionId = id, At = at, View = view }, ct);
        await connection.Transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>A connection in a transaction that holds the transition's build lock: appends of the transition wait until it ends.</summary>
    private async Task<LockedConnection> Locked(string tenant, string id, CancellationToken ct)
    {
        var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var lockBuild = new NpgsqlCommand("select pg_advisory_xact_lock($1, hashtext($2))", connection)
        {
            Parameters = { new() { Value = ViewSchema.LockSpace }, new() { Value = $"{tenant}/{id}" } },
        };
        await lockBuild.ExecuteNonQueryAsync(ct);
        return new LockedConnection(connection, transaction);
    }

    /// <summary>
    /// The events of the next step from <paramref name="from"/> and the instant of the first event after them, or null when fewer than
    /// <see cref="CheckpointOptions.CheckpointEvery"/> follow (or all that follow share the last one's instant).
    /// </summary>
    private async Task<(List<ITransitionEvent> Events, DateTimeOffset Cut)?> NextStep(EventTime.Reading reading, DateTimeOffset? from)
    {
        for (var limit = 2L * options.CheckpointEvery; ; limit *= 4)
        {
            var (events, more) = await reading.Page(from, limit);
            var cut = events.Count <= options.CheckpointEvery ? -1
                : events.FindIndex(options.CheckpointEvery, e => e.OccurredAt > events[options.CheckpointEvery - 1].OccurredAt);
            if (cut > 0) return (events[..cut], events[cut].OccurredAt);
            if (!more) return null;
        }
    }

    private static async Task Save(NpgsqlConnection connection, ISerializer serializer, string tenant, ViewCheckpoint checkpoint, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {StoreSchema.Name}.{ViewCheckpointDocuments.Table} (tenant_id, id, data, mt_dotnet_type, transition_id, at) values ($1, $2, $3::jsonb, $4, $5, $6) " +
            "on conflict (tenant_id, id) do update set data = excluded.data, mt_last_modified = transaction_timestamp()", connection)
        {
            Parameters =
            {
                new() { Value = tenant }, new() { Value = checkpoint.Id }, new() { Value = serializer.ToJson(checkpoint) },
                new() { Value = typeof(ViewCheckpoint).FullName }, new() { Value = checkpoint.TransitionId }, new() { Value = checkpoint.At.ToUniversalTime() },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The transitions (all, or <paramref name="only"/>) whose view holds at least <see cref="CheckpointOptions.CheckpointEvery"/> events more than
    /// their last checkpoint: with the view's count and how many more.
    /// </summary>
    private async Task<List<(string Tenant, string Id, long Events, long Behind)>> Behind(NpgsqlConnection connection, (string Tenant, string Id)? only, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select tenant_id, id, events, behind from (select v.tenant_id, v.id, (v.data ->> 'events')::bigint events, (v.data ->> 'events')::bigint - " +
            $"coalesce((select (c.data -> 'view' ->> 'events')::bigint from {StoreSchema.Name}.{ViewCheckpointDocuments.Table} c " +
            $"where c.tenant_id = v.tenant_id and c.transition_id = v.id order by c.at desc limit 1), 0) behind from {StoreSchema.Name}.mt_doc_transition_wave_view v " +
            $"{(only is null ? "" : "where v.tenant_id = $2 and v.id = $3")}) t where behind >= $1", connection)
        {
            Parameters = { new() { Value = (long)options.CheckpointEvery } },
        };
        if (only is var (tenant, id))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        }
        var due = new List<(string, string, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) due.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        return due;
    }
}

/// <summary>A connection and its open transaction, disposed together (an uncommitted transaction rolls back).</summary>
public sealed record LockedConnection(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
{
    public static implicit operator NpgsqlConnection(LockedConnection locked) => locked.Connection;

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

public static class CheckpointServices
{
    public static void AddViewCheckpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection("Views").Get<CheckpointOptions>() ?? new CheckpointOptions());
        builder.Services.AddSingleton<CheckpointWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CheckpointWatch>());
    }
}

using System.Collections.Concurrent;
using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
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
        foreach (var (tenant, id, events) in await Due(connection, ct))
        {
            if (_uncut.TryGetValue((tenant, id), out var tried) && tried == events) continue;
            if (await Build(tenant, id, ct) == 0) _uncut[(tenant, id)] = events;
            else _uncut.TryRemove((tenant, id), out _);
        }
    }

    /// <summary>
    /// Cuts the transition's next checkpoints, one each time another <see cref="CheckpointOptions.CheckpointEvery"/> events have been folded and
    /// event time moves on, from its last checkpoint (or its first event). Holds the transition's build lock meanwhile, so no append can slip
    /// an earlier event past it (appends of the transition wait). Returns how many it cut.
    /// </summary>
    public async Task<int> Build(string tenant, string id, CancellationToken ct = default)
    {
        await using var reading = Store.Storage.Database.CreateConnection();
        await reading.OpenAsync(ct);
        await using var transaction = await reading.BeginTransactionAsync(ct);
        await using (var lockBuild = new NpgsqlCommand("select pg_advisory_xact_lock($1, hashtext($2))", reading)
        {
            Parameters = { new() { Value = EventTimeSchema.LockSpace }, new() { Value = $"{tenant}/{id}" } },
        }) await lockBuild.ExecuteNonQueryAsync(ct);

        var serializer = Store.Options.Serializer();
        var events = new EventTime.Reading(reading, serializer, tenant, id);
        var last = await events.LatestCheckpoint(null);
        var view = last?.View ?? new TransitionView { Id = id };
        var mailboxes = last is null ? new Dictionary<string, Mailbox>() : await events.MailboxesBefore(last.At, DateTimeOffset.MaxValue);

        // Cut on a second connection while the first streams the events; committed before the lock is let go.
        await using var writing = Store.Storage.Database.CreateConnection();
        await writing.OpenAsync(ct);
        var (folded, cut, previous) = (0, 0, DateTimeOffset.MinValue);
        await foreach (var e in events.Events(last?.At, DateTimeOffset.MaxValue))
        {
            if (folded >= options.CheckpointEvery && e.OccurredAt > previous)
            {
                await Save(writing, serializer, tenant, new ViewCheckpoint { Id = ViewCheckpoint.Key(id, e.OccurredAt), TransitionId = id, At = e.OccurredAt, View = view }, ct);
                (folded, cut) = (0, cut + 1);
            }
            view.Continue(e, mailboxes);
            (folded, previous) = (folded + 1, e.OccurredAt);
        }
        await transaction.CommitAsync(ct);
        if (cut > 0) Log.LogInformation("Cut {Count} checkpoints of transition {TransitionId} of {Tenant}", cut, id, tenant);
        return cut;
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

    /// <summary>Every transition whose view holds at least <see cref="CheckpointOptions.CheckpointEvery"/> events more than its last checkpoint, with its count.</summary>
    private async Task<List<(string Tenant, string Id, long Events)>> Due(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select v.tenant_id, v.id, (v.data ->> 'events')::bigint from {StoreSchema.Name}.mt_doc_transition_wave_view v " +
            $"where (v.data ->> 'events')::bigint - coalesce((select (c.data -> 'view' ->> 'events')::bigint from {StoreSchema.Name}.{ViewCheckpointDocuments.Table} c " +
            "where c.tenant_id = v.tenant_id and c.transition_id = v.id order by c.at desc limit 1), 0) >= $1", connection)
        {
            Parameters = { new() { Value = (long)options.CheckpointEvery } },
        };
        var due = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) due.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return due;
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

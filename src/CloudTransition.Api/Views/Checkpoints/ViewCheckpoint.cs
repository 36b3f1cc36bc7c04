using System.Data.Common;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace CloudTransition.Api.Views.Checkpoints;

/// <summary>
/// A transition's view as it stood just before <see cref="At"/> in event time: the fold of every event of the transition that occurred before
/// that instant, whenever it was recorded, without the mailboxes' own states (only their tally). An as-of read starts from the last one at or
/// before its instant and folds the rest (<see cref="EventTime"/>), so its cost does not grow with the transition's history. Built by
/// <see cref="CheckpointWatch"/>; deleted in the same transaction as any event recorded with an earlier <c>occurredAt</c>
/// (<see cref="CheckpointInvalidation"/>), and with the projection on a rebuild.
/// </summary>
public class ViewCheckpoint
{
    public string Id { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public TransitionView View { get; set; } = new();

    public static string Key(string transitionId, DateTimeOffset at) => $"{transitionId}@{at.UtcTicks}";
}

public static class ViewCheckpointDocuments
{
    public const string Table = "mt_doc_view_checkpoint";

    public static void AddViewCheckpoints(this StoreOptions opts)
    {
        opts.Schema.For<ViewCheckpoint>().DocumentAlias("view_checkpoint")
            .Duplicate(c => c.TransitionId, configure: TransitionIndex.PerTenant)
            .Duplicate(c => c.At, pgType: "timestamp with time zone");
        opts.Events.IgnoreIndex(ViewSchema.Index);
        opts.Storage.Add(new ViewSchema(opts.Advanced.Migrator));
    }
}

/// <summary>
/// What the views read by, beyond Marten's own objects. What finds a transition's events by when they occurred: an index on the events table
/// by tenant, transition and <c>occurredAt</c> (read through <c>ct_instant</c>, a cast PostgreSQL accepts in an index: the events always write
/// an offset, so the cast does not depend on the session's time zone), and the function every append calls to drop the checkpoints its
/// events precede. And the index the dependency list pages through. Applied after Marten's own tables. A changed definition needs a new
/// name: these objects are created when missing, never compared.
/// </summary>
public sealed class ViewSchema(Migrator migrator) : FeatureSchemaBase("Views", migrator)
{
    public const string Index = "ct_events_transition_time";
    public const string Instant = $"{StoreSchema.Name}.ct_instant(data ->> 'occurredAt')";
    public const string Invalidate = $"{StoreSchema.Name}.ct_invalidate_view_checkpoints";

    /// <summary>The advisory lock space (the first of two keys) that appends share and a checkpoint's build holds alone.</summary>
    public const int LockSpace = 0x43_54_43_50; // "CTCP"

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new SqlObject("ct_instant", "select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = :schema and p.proname = 'ct_instant'",
            $"create or replace function {StoreSchema.Name}.ct_instant(value text) returns timestamptz language sql immutable strict parallel safe as $$ select value::timestamptz $$;");
        yield return new SqlObject(Index, $"select 1 from pg_indexes where schemaname = :schema and indexname = '{Index}'",
            $"create index if not exists {Index} on {StoreSchema.Name}.mt_events (tenant_id, (data ->> 'transitionId'), {Instant});");
        // A transition's remaining mailboxes in address order (as Marten's `OrderBy(m => m.Mailbox.Address)` locates it), so a page of the
        // dependency list reads its own rows only; with the transition alone, a page of 100 read and sorted all 2,000 (47 ms, EXPLAIN ANALYZE).
        yield return new SqlObject(MailboxEntry.RemainingByAddress,
            $"select 1 from pg_indexes where schemaname = :schema and indexname = '{MailboxEntry.RemainingByAddress}'",
            $"create index if not exists {MailboxEntry.RemainingByAddress} on {StoreSchema.Name}.mt_doc_wave_mailbox_entry " +
            "(transition_id, tenant_id, (data -> 'mailbox' ->> 'address')) where is_dependency;");
        yield return new SqlObject("ct_invalidate_view_checkpoints", "select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = :schema and p.proname = 'ct_invalidate_view_checkpoints'",
            $"""
            create or replace function {Invalidate}(p_tenant varchar, p_transition varchar, p_since timestamptz) returns void language plpgsql as $$
            begin
              perform pg_advisory_xact_lock_shared({LockSpace}, hashtext(p_tenant || '/' || p_transition));
              delete from {StoreSchema.Name}.{ViewCheckpointDocuments.Table}
                where tenant_id = p_tenant and transition_id = p_transition and at > p_since - interval '1 millisecond';
            end $$;
            """);
    }

    /// <summary>A function or index created from its SQL when a query finds it missing.</summary>
    private sealed class SqlObject(string name, string existsQuery, string createSql) : ISchemaObject
    {
        public DbObjectName Identifier => new PostgresqlObjectName(StoreSchema.Name, name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);
        public IEnumerable<DbObjectName> AllNames() => [Identifier];
        public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(createSql);
        public void WriteDropStatement(Migrator rules, TextWriter writer) { }

        public void ConfigureQueryCommand(DbCommandBuilder builder)
        {
            var parts = existsQuery.Split(":schema");
            builder.Append(parts[0]);
            builder.AppendParameter(StoreSchema.Name);
            builder.Append(parts[1] + ";");
        }

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default) =>
            new SchemaObjectDelta(this, await reader.ReadAsync(ct) ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }
}

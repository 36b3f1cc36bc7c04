using CloudTransition.Api.Blockers;
using CloudTransition.Api.Common;
using CloudTransition.Api.DirectorySync;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Infrastructure;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Notifications;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.SupportCases;
using CloudTransition.Api.Security;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Checkpoints;
using CloudTransition.Api.Waves;
using CloudTransition.Api.Webhooks;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Npgsql;
using Weasel.Core;
using Wolverine;
using Wolverine.Marten;

namespace CloudTransition.Api.Hosting;

public static class EventStore
{
    public const string Schema = StoreSchema.Name;

    public static void AddEventStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set");
        // Production applies the schema with the `db-apply` job before a rollout and loads pre-generated handler code.
        var applySchema = builder.Configuration.GetValue("CloudTransition:ApplySchemaOnStart", true);
        var codeGeneration = builder.Configuration.GetValue("CloudTransition:CodeGeneration", TypeLoadMode.Dynamic);

        var rebuilding = Environment.GetCommandLineArgs().Contains("projections");
        var marten = builder.Services.AddMarten(opts => Configure(opts, connectionString, applySchema, rebuilding))
            .UseLightweightSessions()
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
        if (applySchema) marten.ApplyAllDatabaseChangesOnStartup();
        builder.AddNotifications(marten);
        builder.AddViewCheckpoints();
        builder.Services.ConfigureMarten((services, opts) => opts.Logger(new StoreLogger(services.GetRequiredService<ILogger<IDocumentStore>>())));

        builder.Services.AddSharedDataProtection();
        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            opts.CodeGeneration.TypeLoadMode = codeGeneration;
            opts.AutoBuildMessageStorageOnStartup = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            // Several replicas share the async projections; a node that stops heart-beating for 10 s loses them.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(3);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(10);
            opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(10);
            opts.Services.AddSingleton(TimeProvider.System);
            opts.Services.AddSingleton<SecretProtector>();
            opts.Services.AddSingleton<WebhookReceiver>();
            opts.Services.AddSingleton<IngestionTurns>();
        });
    }

    /// <summary>
    /// Pooled connections keep their session (no DISCARD ALL on return), so PostgreSQL keeps the plans of Marten's
    /// append and upsert functions, and Npgsql prepares the statements it sees repeatedly: measured, the append
    /// function cost 0.9 ms a call when re-planned on every checkout. Two planner features are off, because every query here is
    /// short and they cost more than they save:
    /// <list type="bullet">
    /// <item>PostgreSQL's JIT compiles a query whose estimated cost is high, which the estimates of a table just filled (before
    /// autovacuum analyses it) make of a 2 ms lookup — 20–150 ms of compiling for nothing.</item>
    /// <item>Parallel workers: the daemon's page of events (a range of sequence numbers, joined to the streams) is planned with two,
    /// each a fresh process that first maps the shared buffers it reads. Measured on the bench's store: a page of 5,000 events
    /// took 35–330 ms with them and 35–90 ms without, and a rebuild of 1.2M events 169 s against 112 s, with a third less CPU.</item>
    /// </list>
    /// Settings given in the connection string win.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(builder.NoResetOnClose))) builder.NoResetOnClose = true;
        if (!given.Contains(nameof(builder.MaxAutoPrepare))) builder.MaxAutoPrepare = 200;
        foreach (var (setting, value) in PlannerDefaults)
            if (builder.Options?.Contains(setting, StringComparison.OrdinalIgnoreCase) != true) builder.Options = $"{builder.Options} -c {setting}={value}".Trim();
        return builder.ConnectionString;
    }

    private static readonly (string Setting, string Value)[] PlannerDefaults = [("jit", "off"), ("max_parallel_workers_per_gather", "0")];

    /// <summary>
    /// The store's configuration, shared by the service and the benchmark's bulk seeding. <paramref name="rebuilding"/>: for the
    /// `projections` commands, which run alone and for throughput: pages of 5,000 events (the service's 500 keep its peak RSS
    /// down), and the view's pass writes each mailbox's state (<see cref="MailboxDocuments.AddMailboxDocuments"/>).
    /// </summary>
    public static void Configure(StoreOptions opts, string connectionString, bool applySchema, bool rebuilding = false)
    {
        var pageSize = rebuilding ? 5_000 : 500;
        opts.Connection(Tuned(connectionString));
        opts.AutoCreateSchemaObjects = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        opts.Listeners.Add(new EventMetrics());
        opts.Listeners.Add(new Views.Checkpoints.CheckpointInvalidation());
        opts.DatabaseSchemaName = Schema;
        // Nulls are left out: most of a mailbox's fields are empty until Exchange Online reports on it, and the documents' size is what
        // the dependency list's read costs (the heap pages it visits).
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            json => json.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;

        opts.AddSecurityDocuments();
        opts.AddIdentityProviderDocuments();
        opts.AddTransitionDocuments();
        opts.AddMailboxDocuments(rebuilding);
        opts.AddDirectorySyncDocuments();
        opts.AddHybridDocuments();
        opts.AddRelayDeviceDocuments();
        RelayDiscovery.RelaySenderDocuments.AddRelayDiscoveryDocuments(opts);
        opts.AddComponentDocuments();
        opts.AddBlockerDocuments();
        opts.AddSupportCaseDocuments();
        opts.AddWaveDocuments();
        opts.AddBlackoutDocuments();
        opts.AddViewDocuments(pageSize, keepsMailboxStates: rebuilding);
        opts.AddWebhookDocuments();
        opts.AddDataProtectionDocuments();
        opts.AddIdempotencyDocuments();
        opts.AddNotificationDocuments();
        opts.AddDigestDocuments();
        // The item states are inline, but a rebuild runs them through the daemon too, a page at a time.
        foreach (var projection in opts.Projections.All.OfType<JasperFx.Events.Projections.ProjectionBase>()) projection.Options.BatchSize = pageSize;
    }
}

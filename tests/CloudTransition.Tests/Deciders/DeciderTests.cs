using CloudTransition.Api.Blockers;
using CloudTransition.Api.Common;
using CloudTransition.Api.DirectorySync;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Infrastructure;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.SupportCases;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Deciders;

/// <summary>The deciders are pure: a state, a command and an instant give events or a refusal. Each row is one case.</summary>
public class DeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static T Folded<T>(Func<T?, object, T?> fold, params object[] events) where T : ItemState =>
        events.Aggregate((T?)null, (state, e) => fold(state, e))!;

    private static RelayDevice Device(params object[] later) => Folded<RelayDevice>(RelayDevice.Fold,
        [new RelayDeviceRegistered("t", "d", "MFP", DeviceKind.Printer, new DeviceFacts(false, true, true), "exch01:25", new DeviceVolumes(null, null, null), T0), .. later]);

    /// <summary>What a decision is, in a word: the refusal's status, "nothing" or the event types.</summary>
    private static string Said(Decision d) => d.Refusal is { } r ? r.Status.ToString() : d.Events.Count == 0 ? "nothing" : string.Join(",", d.Events.Select(e => e.GetType().Name));

    public static TheoryData<string, string> Retirements => new()
    {
        { "missing", "404" },
        { "registered", nameof(RelayDeviceRetired) },
        { "retired", "nothing" },
    };

    [Theory, MemberData(nameof(Retirements))]
    public void retiring_a_device(string given, string expected)
    {
        RelayDevice? device = given switch { "missing" => null, "retired" => Device(new RelayDeviceRetired("t", "d", T0.AddDays(1))), _ => Device() };
        Assert.Equal(expected, Said(RetireDeviceEndpoint.Decide(device, "t", "d", T0.AddDays(2))));
    }

    public static TheoryData<string, RelayMethod, int, bool, string> Repoints => new()
    {
        { "registered", RelayMethod.AuthenticatedPort25, 25, false, nameof(RelayDeviceRepointed) },
        { "registered", RelayMethod.AuthenticatedSubmission587, 587, false, "422" },   // it cannot change its port
        { "registered", RelayMethod.AuthenticatedSubmission587, 587, true, nameof(RelayDeviceRepointed) },
        { "retired", RelayMethod.AuthenticatedPort25, 25, false, "409" },
        { "missing", RelayMethod.AuthenticatedPort25, 25, false, "404" },
    };

    [Theory, MemberData(nameof(Repoints))]
    public void repointing_a_device(string given, RelayMethod method, int port, bool overridden, string expected)
    {
        RelayDevice? device = given switch { "missing" => null, "retired" => Device(new RelayDeviceRetired("t", "d", T0.AddDays(1))), _ => Device() };
        var command = new RepointDevice(method, "smtp.office365.com", port, overridden, overridden ? "accepted by the customer" : null, null);
        Assert.Equal(expected, Said(RepointDeviceEndpoint.Decide(device, command, "t", "d", T0.AddDays(2), RelayPolicy.Default)));
    }

    public static TheoryData<MoveStatus[], MoveStatus, int?, string> Moves => new()
    {
        { [], MoveStatus.Queued, null, nameof(MailboxMoveStatusChanged) },
        { [MoveStatus.Queued], MoveStatus.Queued, null, "nothing" },
        { [MoveStatus.Queued, MoveStatus.Completed], MoveStatus.Syncing, null, "409" },
        { [], MoveStatus.Failed, null, "409" },
        { [MoveStatus.Queued], MoveStatus.Syncing, 1, "409" },                        // stale: the mailbox is at version 2
        { [MoveStatus.Queued], MoveStatus.Syncing, 2, nameof(MailboxMoveStatusChanged) },
    };

    [Theory, MemberData(nameof(Moves))]
    public void moving_a_mailbox(MoveStatus[] before, MoveStatus to, int? expectedVersion, string expected)
    {
        var mailbox = Folded<Mailbox>(Mailbox.Fold, [new MailboxInventoried("t", "ann@abc.com", MailboxKind.UserMailbox, null, T0),
            .. before.Select((s, i) => (object)new MailboxMoveStatusChanged("t", "ann@abc.com", MoveStatus.NotStarted, s, null, "x", T0.AddDays(i + 1)))]);
        mailbox = mailbox with { Version = 1 + before.Length };
        var command = new MoveMailbox(to, null, to == MoveStatus.Failed ? "too large" : null, expectedVersion, null);
        Assert.Equal(expected, Said(MoveMailboxEndpoint.Decide(mailbox, command, "t", "ann@abc.com", T0.AddDays(9))));
    }

    private static Mailbox Syncing(int percent) => Folded<Mailbox>(Mailbox.Fold, new MailboxInventoried("t", "ann@abc.com", MailboxKind.UserMailbox, null, T0),
        new MailboxMoveStatusChanged("t", "ann@abc.com", MoveStatus.Queued, MoveStatus.Syncing, null, null, T0.AddDays(1))
        {
            Detail = new MoveDetail(percent, "CopyingMessages", null, null, null, null, null, null),
        });

    public static TheoryData<int?, string?, int, string> Progress => new()
    {
        { 40, "CopyingMessages", 2, "nothing" },                          // what it already says
        { 55, "CopyingMessages", 2, nameof(MailboxMoveStatusChanged) },   // progress in the same status
        { 40, "StalledDueToTarget_Processor", 2, nameof(MailboxMoveStatusChanged) },
        { 55, "CopyingMessages", 0, "nothing" },                          // new detail, but older than what is recorded
        { null, null, 2, "nothing" },                                     // the status alone, as before move detail
    };

    [Theory, MemberData(nameof(Progress))]
    public void the_same_status_with_new_detail_is_progress(int? percent, string? detail, int day, string expected)
    {
        var command = new MoveMailbox(MoveStatus.Syncing, null, null, null, null, percent, detail);
        Assert.Equal(expected, Said(MoveMailboxEndpoint.Decide(Syncing(40), command, "t", "ann@abc.com", T0.AddDays(day))));
    }

    public static TheoryData<MoveStatus[], MoveStatus?, int, string> Imports => new()
    {
        { [], MoveStatus.Failed, 5, $"{nameof(MailboxMoveStatusChanged)},{nameof(MailboxMoveStatusChanged)}" }, // first heard of as failed: queued, then failed
        { [MoveStatus.Queued, MoveStatus.Failed], MoveStatus.Syncing, 5, $"{nameof(MailboxMoveStatusChanged)},{nameof(MailboxMoveStatusChanged)}" }, // resumed
        { [], MoveStatus.Completed, 5, nameof(MailboxMoveStatusChanged) },
        { [MoveStatus.Queued, MoveStatus.Completed], MoveStatus.Syncing, 5, "409" },   // a completed move is final
        { [MoveStatus.Queued, MoveStatus.Synced], MoveStatus.Queued, 1, "nothing" },   // older than what is recorded
        { [MoveStatus.Queued], null, 5, nameof(MailboxMoveStatusChanged) },             // held: stays queued, EXO's word as detail
    };

    [Theory, MemberData(nameof(Imports))]
    public void an_exchange_online_row_is_the_truth_but_cannot_undo_a_completed_move(MoveStatus[] before, MoveStatus? to, int day, string expected)
    {
        var mailbox = Folded<Mailbox>(Mailbox.Fold, [new MailboxInventoried("t", "ann@abc.com", MailboxKind.UserMailbox, null, T0),
            .. before.Select((s, i) => (object)new MailboxMoveStatusChanged("t", "ann@abc.com", MoveStatus.NotStarted, s, null, "x", T0.AddDays(i + 1)))]);
        var row = new MoveMailbox(to, null, to == MoveStatus.Failed ? "Exchange Online reports Failed." : null, null, T0.AddDays(day), StatusDetail: to is null ? "Stopped" : null);
        Assert.Equal(expected, Said(ImportMoveStatisticsEndpoint.Decide(mailbox, row, "t", "ann@abc.com", null)));
    }

    public static TheoryData<bool, bool, int, string> Decommissions => new()
    {
        { true, true, 1, "409" },      // the last Exchange server, something still keeps it
        { true, true, 0, nameof(ComponentDecommissioned) },
        { true, false, 1, nameof(ComponentDecommissioned) },   // another Exchange server runs on
        { false, true, 1, nameof(ComponentDecommissioned) },   // not an Exchange server
    };

    [Theory, MemberData(nameof(Decommissions))]
    public void decommissioning_a_component(bool exchange, bool last, int keeping, string expected)
    {
        var component = Folded<Component>(Component.Fold,
            new ComponentInventoried("t", "c", "EXCH01", exchange ? ComponentRole.ExchangeMailbox : ComponentRole.San, true, null, T0));
        var remaining = Enumerable.Range(0, keeping).Select(i => new DependencyItem(Categories.Mailboxes, $"user{i}@abc.com", "", "", KeepsExchange: true)).ToList();
        var decision = DecommissionComponentEndpoint.Decide(component, last, remaining, "t", "c", T0.AddDays(1));
        Assert.Equal(expected, Said(decision));
        if (decision.Refusal is Refusal.Conflict conflict) Assert.Equal(["mailbox user0@abc.com"], (IEnumerable<string>)conflict.Extensions!["dependents"]!);
    }

    [Fact]
    public void a_decommissioned_component_records_nothing_more()
    {
        var component = Folded<Component>(Component.Fold, new ComponentInventoried("t", "c", "SAN", ComponentRole.San, true, 40, T0),
            new ComponentDecommissioned("t", "c", T0.AddDays(1)));
        Assert.Equal("nothing", Said(DecommissionComponentEndpoint.Decide(component, false, [], "t", "c", T0.AddDays(2))));
        Assert.Equal("409", Said(RetainComponentEndpoint.Decide(component, new RetainComponent("keep", null), "t", "c", T0.AddDays(2))));
    }

    public static TheoryData<int, bool, string> Resolutions => new()
    {
        { 1, false, nameof(BlockerResolved) },
        { -1, false, "409" },   // before it was raised
        { 1, true, "nothing" },
    };

    [Theory, MemberData(nameof(Resolutions))]
    public void resolving_a_blocker(int daysAfterRaised, bool resolved, string expected)
    {
        var raised = new BlockerRaised("t", "b", "BES", BlockerKind.LobOnExchange, "on EXCH01", T0);
        var blocker = resolved ? Folded<Blocker>(Blocker.Fold, raised, new BlockerResolved("t", "b", "gone", T0.AddHours(1))) : Folded<Blocker>(Blocker.Fold, raised);
        Assert.Equal(expected, Said(ResolveBlockerEndpoint.Decide(blocker, new ResolveBlocker("moved to BES12", null), "t", "b", T0.AddDays(daysAfterRaised))));
    }

    [Theory]
    [InlineData(1, false, nameof(SupportCaseResponded))]
    [InlineData(-1, false, "409")]
    [InlineData(1, true, "409")]
    public void progressing_a_support_case(int daysAfterOpened, bool resolved, string expected)
    {
        var opened = new SupportCaseOpened("t", "k", "Free/busy", "Microsoft", SupportChannel.Partner, CaseSeverity.B, T0);
        var supportCase = resolved ? Folded<SupportCase>(SupportCase.Fold, opened, new SupportCaseResolved("t", "k", null, T0.AddHours(2))) : Folded<SupportCase>(SupportCase.Fold, opened);
        var at = T0.AddDays(daysAfterOpened);
        Assert.Equal(expected, Said(ProgressSupportCaseEndpoints.Decide(supportCase, "t", "k", new SupportCaseResponded("t", "k", null, at), at, "respond to")));
    }

    [Fact]
    public void directory_sync_records_only_changes()
    {
        var on = new EnableDirectorySync(SyncTool.EntraConnect, "sync01", null);
        Assert.Equal(nameof(DirectorySyncEnabled), Said(EnableDirectorySyncEndpoint.Decide(null, on, "t", T0)));
        var enabled = Folded<DirectorySyncState>(DirectorySyncState.Fold, new DirectorySyncEnabled("t", SyncTool.EntraConnect, "sync01", T0));
        Assert.Equal("nothing", Said(EnableDirectorySyncEndpoint.Decide(enabled, on, "t", T0.AddDays(1))));
        Assert.Equal(nameof(DirectorySyncEnabled), Said(EnableDirectorySyncEndpoint.Decide(enabled, on with { Server = "sync02" }, "t", T0.AddDays(1))));
        Assert.Equal(nameof(DirectorySyncDisabled), Said(DisableDirectorySyncEndpoint.Decide(enabled, "t", T0.AddDays(1))));
        Assert.Equal("nothing", Said(DisableDirectorySyncEndpoint.Decide(null, "t", T0.AddDays(1))));
    }

    [Fact]
    public void a_restart_names_the_endpoint_as_first_entered_and_an_unknown_one_is_not_found()
    {
        var hybrid = Folded<HybridState>(HybridState.Fold, new HybridConfigured("t", "c1", "2010 SP3", [new HybridEndpoint("CAS01", EndpointRole.Cas)], T0));
        var decision = RecordEndpointRestartEndpoint.Decide(hybrid, "cas01", new RestartEndpoint(RestartMethod.Iisreset, null), "t", T0.AddHours(1));
        Assert.Equal("CAS01", ((HybridEndpointRestarted)decision.Events.Single()).Server);
        Assert.Equal("404", Said(RecordEndpointRestartEndpoint.Decide(hybrid, "cas02", new RestartEndpoint(RestartMethod.Iisreset, null), "t", T0)));
    }
}

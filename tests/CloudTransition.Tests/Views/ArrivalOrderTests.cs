using CloudTransition.Api.Common;
using System.Text.Json;
using CloudTransition.Api.Hosting;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Api.Views.RoleImpacts;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Views;

/// <summary>Automation retries deliver late and out of order: the views must not depend on arrival order.</summary>
public class ArrivalOrderTests
{
    private const string Id = "t1";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-09-01T08:00:00Z");
    private static readonly DateTimeOffset Now = T0.AddDays(40);
    private static readonly JsonSerializerOptions Json = Options();

    private static List<ITransitionEvent> History()
    {
        var events = new List<ITransitionEvent>
        {
            new TransitionStarted(Id, "ABC", ["abc.com"], null, T0),
            new TransitionPhaseChanged(Id, TransitionPhase.Assessment, TransitionPhase.Pilot, null, T0.AddDays(3)),
            new TransitionPhaseChanged(Id, TransitionPhase.Pilot, TransitionPhase.Migration, null, T0.AddDays(9)),
            new DirectorySyncEnabled(Id, SyncTool.AadConnect, "sync01", T0.AddDays(1)),
            new HybridConfigured(Id, "c1", "2013", [new("cas01", EndpointRole.Cas), new("cas02", EndpointRole.Cas)], T0.AddDays(2)),
            new HybridEndpointRestarted(Id, "cas01", RestartMethod.Iisreset, T0.AddDays(2).AddHours(3)),
            new HybridConfigured(Id, "c2", "2013", [new("cas01", EndpointRole.Cas)], T0.AddDays(5)),
            new HybridEndpointRestarted(Id, "cas02", RestartMethod.Reboot, T0.AddDays(6)),
            new RelayDeviceRegistered(Id, "d1", "MFP", DeviceKind.Printer, new(true, true, true), "exch:25", new(null, 45, null), T0.AddDays(1)),
            new RelayDeviceRepointed(Id, "d1", RelayMethod.AuthenticatedSubmission587, "smtp.office365.com", 587, false, null, T0.AddDays(12)),
            new RelayDeviceRegistered(Id, "d2", "Fax", DeviceKind.Other, new(false, false, true), "exch:25", new(null, null, null), T0.AddDays(1)),
            new RelayDeviceRepointed(Id, "d2", RelayMethod.AnonymousRelay, "relay.abc.local", 25, false, null, T0.AddDays(13)),
            new ComponentInventoried(Id, "c1", "EXCH01", ComponentRole.ExchangeMailbox, true, null, T0),
            new ComponentInventoried(Id, "c2", "SAN01", ComponentRole.San, true, 20, T0),
            new ComponentDecommissioned(Id, "c2", T0.AddDays(30)),
            new BlockerRaised(Id, "b1", "BES", BlockerKind.LobOnExchange, "on EXCH01", T0.AddDays(1)),
            new BlockerResolved(Id, "b1", "BES12", T0.AddDays(20)),
            new SupportCaseOpened(Id, "k1", "Free/busy", "Microsoft", SupportChannel.Direct, CaseSeverity.B, T0.AddDays(4)),
            new SupportCaseResponded(Id, "k1", null, T0.AddDays(5)),
            new SupportCaseResponded(Id, "k1", null, T0.AddDays(4).AddHours(20)),
            new SupportCaseOpened(Id, "k2", "Autodiscover", "Microsoft", SupportChannel.Partner, CaseSeverity.A, T0.AddDays(35)),
        };
        for (var i = 0; i < 60; i++)
        {
            var address = $"u{i}@abc.com";
            var day = 10 + i / 3;
            events.Add(new MailboxInventoried(Id, address, i % 10 == 0 ? MailboxKind.ResourceMailbox : MailboxKind.UserMailbox, null, T0.AddDays(1)));
            events.Add(new MailboxMoveStatusChanged(Id, address, MoveStatus.NotStarted, MoveStatus.Queued, "w1", null, T0.AddDays(day)));
            if (i % 7 == 0)
                events.Add(new MailboxMoveStatusChanged(Id, address, MoveStatus.Queued, MoveStatus.Failed, null, "Too big", T0.AddDays(day).AddHours(5)));
            else
                events.Add(new MailboxMoveStatusChanged(Id, address, MoveStatus.Queued, MoveStatus.Completed, null, null, T0.AddDays(day).AddHours(10)));
        }
        return events;
    }

    private static string Views(IEnumerable<ITransitionEvent> events)
    {
        var view = TransitionView.Fold(Id, events);
        return JsonSerializer.Serialize(new object[]
        {
            DependencyRules.Of(view, Remaining(view), null, Paging.MaxLimit, null).View, RoleImpactRules.Of(view, Now, null), DashboardRules.Of(view, Now, null),
        }, Json);
    }

    private static RemainingMailboxes Remaining(TransitionView view)
    {
        var items = view.FoldedMailboxes!.Values.SelectMany(m => m.Remaining()).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        return new RemainingMailboxes(items.Count, items);
    }

    [Fact]
    public void the_views_are_the_same_whatever_order_the_events_arrive_in()
    {
        var history = History();
        var expected = Views(history.OrderBy(e => e.OccurredAt));
        var random = new Random(20261128);
        for (var run = 0; run < 25; run++)
            Assert.Equal(expected, Views(history.OrderBy(_ => random.Next())));
    }

    [Fact]
    public void late_events_land_where_they_happened()
    {
        var view = TransitionView.Fold(Id, History().OrderByDescending(e => e.OccurredAt));
        Assert.True(view.Hybrid.Endpoint("cas01")!.PendingRestart);   // restarted on day 2, configured again on day 5
        Assert.False(view.Hybrid.Endpoint("CAS02")!.PendingRestart);
        Assert.Equal(TransitionPhase.Migration, view.Phase);
        Assert.Equal(T0.AddDays(4).AddHours(20), view.Cases["k1"].FirstResponseAt);
        Assert.Equal(MoveStatus.Completed, view.FoldedMailboxes!["t1/mailbox/u1@abc.com"].Status);
        Assert.Equal((60, 51, 51), (view.Mailboxes.Known, view.Mailboxes.Moved, view.Mailboxes.Completed)); // every 7th of 60 failed: 9
        Assert.Equal(9, view.Mailboxes.Failed.Count);
        Assert.True(view.Devices["d2"].IsDependency);
        Assert.False(view.Devices["d1"].IsDependency);
    }

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions();
        HttpApi.Configure(options);
        return options;
    }
}

using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.RoleImpacts;

public enum Trend { Shrinking, Growing, Steady }

/// <summary>A role's workload (hours per month) before the transition and now, and what changed it.</summary>
public record RoleImpact(string Role, decimal Baseline, decimal Current, decimal Change, Trend Trend, IReadOnlyList<string> Drivers);

public record RoleImpactView(string TransitionId, DateTimeOffset? AsOf, string Unit, IReadOnlyList<RoleImpact> Roles);

/// <summary>
/// Baseline = the estate as inventoried before anything moved: every mailbox on-premises, every component running,
/// every device relaying through on-prem servers, no directory sync, no support cases. Current = the estate now.
/// </summary>
public static class RoleImpactRules
{
    public static RoleImpactView Of(TransitionView view, DateTimeOffset now, DateTimeOffset? asOf)
    {
        var baseline = Enum.GetValues<Measure>().ToDictionary(m => m, m => Quantity(view, m, now, baseline: true));
        var current = Enum.GetValues<Measure>().ToDictionary(m => m, m => Quantity(view, m, now, baseline: false));
        var roles = RoleWeights.Roles.Select(role =>
        {
            var weights = RoleWeights.Table.Where(w => w.Role == role).ToList();
            var before = Math.Round(weights.Sum(w => w.HoursPerMonth * baseline[w.Measure]), 1);
            var after = Math.Round(weights.Sum(w => w.HoursPerMonth * current[w.Measure]), 1);
            var drivers = weights.Where(w => baseline[w.Measure] != current[w.Measure])
                .Select(w => Driver(view, w.Measure, baseline[w.Measure], current[w.Measure])).Distinct().ToList();
            var change = after - before;
            return new RoleImpact(role, before, after, change, change < 0 ? Trend.Shrinking : change > 0 ? Trend.Growing : Trend.Steady, drivers);
        }).ToList();
        return new RoleImpactView(view.Id, asOf, "hours per month", roles);
    }

    public static decimal Quantity(TransitionView v, Measure measure, DateTimeOffset now, bool baseline)
    {
        var components = v.Components.Values.Where(c => baseline || c.Active).ToList();
        return measure switch
        {
            Measure.MailboxTbOnPremises => (baseline ? v.Mailboxes.Gb : v.Mailboxes.RemainingGb) / RoleWeights.GbPerTb,
            Measure.ServersRunning => components.Count(c => c.Role is not (ComponentRole.San or ComponentRole.LoadBalancer or ComponentRole.Firewall)),
            Measure.PhysicalBoxesRunning => components.Count(c => c.Physical),
            Measure.SanTbProvisioned => components.Where(c => c.Role == ComponentRole.San).Sum(c => c.StorageTb ?? 0),
            Measure.ComponentsRunning => components.Count,
            Measure.NetworkAppliancesRunning => components.Count(c => c.Role is ComponentRole.LoadBalancer or ComponentRole.Firewall),
            Measure.DevicesRelayingOnPremises => v.Devices.Values.Count(d => baseline || d.IsDependency),
            Measure.MailboxesInOffice365 => baseline ? 0 : v.Mailboxes.Completed,
            Measure.UsersUnderDirectorySync => baseline || !v.Directory.Enabled ? 0 : v.Mailboxes.UserMailboxes,
            Measure.DomainControllersRunning => components.Count(c => c.Role == ComponentRole.DomainController),
            Measure.OpenSupportCases => baseline ? 0 : v.Cases.Values.Count(c => c.OpenAt(now)),
            _ => 0,
        };
    }

    private static string Driver(TransitionView v, Measure measure, decimal before, decimal after)
    {
        var less = before - after;
        return measure switch
        {
            Measure.MailboxTbOnPremises => $"{v.Mailboxes.Moved} mailboxes moved: {less:0.0} TB of fast SAN no longer needed",
            Measure.ServersRunning => $"{less:0} server(s) decommissioned: fewer machines to back up",
            Measure.PhysicalBoxesRunning => $"{less:0} physical box(es) switched off",
            Measure.SanTbProvisioned => $"{less:0.#} TB of SAN decommissioned",
            Measure.ComponentsRunning => $"{less:0} component(s) decommissioned",
            Measure.NetworkAppliancesRunning => $"{less:0} load balancer(s) or firewall(s) decommissioned",
            Measure.DevicesRelayingOnPremises => $"{less:0} device(s) re-pointed to Office 365 or retired: fewer relay rules",
            Measure.MailboxesInOffice365 => $"{after:0} mailboxes in Office 365: the Internet link and the vendor's support become critical",
            Measure.UsersUnderDirectorySync => $"directory sync enabled: password resets, accounts and groups of {after:0} users now go through AD",
            Measure.DomainControllersRunning => $"{less:0} domain controller(s) decommissioned",
            Measure.OpenSupportCases => $"{after:0} open support case(s) with the vendor",
            _ => measure.ToString(),
        };
    }
}

using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.RoleImpacts;

/// <summary>Quantities of the estate that drive IT workload.</summary>
public enum Measure
{
    MailboxTbOnPremises, ServersRunning, PhysicalBoxesRunning, SanTbProvisioned, ComponentsRunning, NetworkAppliancesRunning,
    DevicesRelayingOnPremises, MailboxesInOffice365, UsersUnderDirectorySync, DomainControllersRunning, OpenSupportCases,
}

/// <summary>One row of the workload table: how many hours a month one unit of a measure costs a role.</summary>
public record RoleWeight(string Role, Measure Measure, decimal HoursPerMonth, string Basis);

/// <summary>
/// The workload weights, in hours per month per unit. Explicit data, documented in the README; estimates from the
/// field notes' description of each role, not measurements. Mailbox storage uses the notes' figures.
/// </summary>
public static class RoleWeights
{
    public const decimal GbPerTb = 1024;

    public static readonly string[] Roles =
    [
        "backup-operations", "hardware-maintenance", "san-management", "infrastructure-design",
        "network-administration", "help-desk", "directory-administration", "vendor-support-liaison",
    ];

    public static readonly IReadOnlyList<RoleWeight> Table =
    [
        new("backup-operations", Measure.MailboxTbOnPremises, 2.0m, "backing up and test-restoring mailbox databases"),
        new("backup-operations", Measure.ServersRunning, 1.5m, "backup jobs per server"),
        new("hardware-maintenance", Measure.PhysicalBoxesRunning, 3.0m, "firmware, parts, warranty calls per physical box"),
        new("san-management", Measure.MailboxTbOnPremises, 1.0m, "fast SAN for mailboxes: 55 GB per user, 5 GB per resource mailbox"),
        new("san-management", Measure.SanTbProvisioned, 0.5m, "capacity, tiering and replication per provisioned TB"),
        new("infrastructure-design", Measure.ComponentsRunning, 2.0m, "capacity planning, patch cycles, DR design per component"),
        new("network-administration", Measure.NetworkAppliancesRunning, 4.0m, "load balancers and firewalls"),
        new("network-administration", Measure.DevicesRelayingOnPremises, 0.5m, "SMTP relay rules per device"),
        new("network-administration", Measure.MailboxesInOffice365, 0.02m, "Internet uptime becomes critical for every cloud mailbox"),
        new("help-desk", Measure.UsersUnderDirectorySync, 0.1m, "password resets go through AD while directory sync is on"),
        new("directory-administration", Measure.DomainControllersRunning, 2.0m, "domain controllers (at least two)"),
        new("directory-administration", Measure.UsersUnderDirectorySync, 0.05m, "accounts and distribution groups managed in AD again"),
        new("vendor-support-liaison", Measure.OpenSupportCases, 6.0m, "chasing the vendor: up to 2 days to a first response when direct"),
        new("vendor-support-liaison", Measure.MailboxesInOffice365, 0.01m, "every cloud mailbox depends on the vendor's support"),
    ];

}

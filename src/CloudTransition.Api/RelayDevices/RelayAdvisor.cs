using CloudTransition.Contracts;
using static CloudTransition.Contracts.RelayMethod;

namespace CloudTransition.Api.RelayDevices;

/// <summary>The advice for one device on a day: the method to use, what else would work, and what to watch.</summary>
/// <param name="Method">The method to use.</param>
/// <param name="Alternatives">What else works for it, best first.</param>
/// <param name="RemainsOnPremises">Whether the method keeps something on-premises (an anonymous relay).</param>
/// <param name="Reasons">Why.</param>
/// <param name="Warnings">What to watch: Exchange Online's limits, a method's end.</param>
/// <param name="On">The day the advice is for (Microsoft's rules as they stand then).</param>
/// <param name="WorksUntil">The day the method stops working for the device, when one is known.</param>
public record RelayAdvice(RelayMethod Method, IReadOnlyList<RelayMethod> Alternatives, bool RemainsOnPremises,
    IReadOnlyList<string> Reasons, IReadOnlyList<string> Warnings, DateOnly On, DateOnly? WorksUntil);

/// <summary>
/// How a printer, scanner or application sends mail once on-prem Exchange is gone, from three facts
/// (field notes: anonymous relay only when the device can't change port, can't authenticate and must reach
/// external recipients; Microsoft: SMTP AUTH on 587 or 25, direct send, or a connector relay), judged on a day
/// by <see cref="RelayRules"/>: a method that ends within 90 days gives way to one that lasts (High Volume Email,
/// Azure Communication Services, direct send, a connector relay).
/// </summary>
public static class RelayAdvisor
{
    public const int MessagesPerMinuteLimit = 30;
    public const int RecipientsPerDayLimit = 10_000;
    public const int RecipientsPerMessageLimit = 500;
    private static readonly string[] CloudHostSuffixes = [".office365.com", ".outlook.com", ".azurecomm.net"];

    public static RelayAdvice Advise(DeviceFacts facts, DeviceVolumes? volumes, RelayDay day)
    {
        var (method, alternatives, reasons) = Choose(facts);
        var options = new[] { method }.Concat(alternatives).ToList();
        var ending = options.Where(m => !RelayRules.Lasts(facts, m, day)).ToList();
        if (ending.Contains(method))
        {
            options = Substitutes(facts).Concat(options).Where(m => RelayRules.Lasts(facts, m, day)).Distinct().ToList();
            reasons = [RelayRules.Ended(facts, method, day) ?? RelayRules.EndsIn(facts, method, day)!, Why[options[0]]];
        }
        else options = options.Except(ending).ToList();
        var warnings = Warnings(volumes ?? new(null, null, null));
        if (RelayRules.EndsIn(facts, options[0], day) is { } end) warnings.Add(end);
        return new RelayAdvice(options[0], options[1..], options[0] == AnonymousRelay, reasons, warnings, day.On,
            RelayRules.StopsWorking(facts, options[0], day.Policy));
    }

    /// <summary>What can replace an authenticated method that is ending: services that keep basic authentication or need none.</summary>
    private static IEnumerable<RelayMethod> Substitutes(DeviceFacts f)
    {
        if (f is { SupportsSmtpAuth: true, CanChangePort: true }) yield return f.SendsExternal ? AzureCommunicationServices : HighVolumeEmail;
        if (!f.SendsExternal) yield return DirectSend;
        yield return ConnectorRelay;
    }

    private static readonly Dictionary<RelayMethod, string> Why = new()
    {
        [HighVolumeEmail] = "Microsoft 365 High Volume Email takes SMTP AUTH on 587 (smtp-hve.office365.com) for the organisation's own recipients and keeps basic authentication longer.",
        [AzureCommunicationServices] = "Azure Communication Services Email (or a third-party relay) takes SMTP AUTH on 587 with an Entra application's credentials and reaches any recipient.",
        [DirectSend] = "It only mails the organisation's own recipients: send directly to the domain's MX on port 25, without authenticating.",
        [ConnectorRelay] = "An Office 365 inbound connector that recognises its static public IP or certificate relays on port 25, without authenticating.",
        [AnonymousRelay] = "Without a static IP or certificate, only an anonymous relay on the network (Postfix, IIS SMTP) would do, and it stays on-premises.",
    };

    private static (RelayMethod, RelayMethod[], string[]) Choose(DeviceFacts f) => f switch
    {
        { SupportsSmtpAuth: true, CanChangePort: true } => (AuthenticatedSubmission587,
            f.SendsExternal ? [AuthenticatedPort25, ConnectorRelay] : [AuthenticatedPort25, DirectSend, ConnectorRelay],
            ["It can authenticate and change its port: submit to smtp.office365.com on 587 with TLS 1.2 and a licensed mailbox; it reaches any recipient."]),
        { SupportsSmtpAuth: true } => (AuthenticatedPort25,
            f.SendsExternal ? [ConnectorRelay] : [DirectSend, ConnectorRelay],
            ["It can authenticate but is stuck on port 25: Office 365 SMTP AUTH also listens on 25.",
             "The older variant — on-prem Exchange's default front-end receive connector granting Exchange users submit rights, then a transport restart — keeps an Exchange server on-premises."]),
        { SendsExternal: false } => (DirectSend, [ConnectorRelay],
            ["It cannot authenticate but only mails the organisation's own recipients: send directly to the domain's MX on port 25.",
             "SPF checks and spam filtering may need an allowance for its address; refused where the tenant rejects direct send."]),
        { CanChangePort: true } => (ConnectorRelay, [AnonymousRelay],
            ["It cannot authenticate and must reach external recipients: an Office 365 inbound connector that recognises its static public IP or certificate relays on port 25.",
             "Without a static IP or certificate, only an anonymous relay on the network (Postfix, IIS SMTP) would do, and it stays on-premises."]),
        _ => (AnonymousRelay, [ConnectorRelay],
            ["It cannot change its port, cannot authenticate and must reach external recipients: all three factors, so an anonymous relay on the network (Postfix or IIS SMTP) is needed, and it stays on-premises.",
             "Anonymous relays are inherently insecure: allow only the device's source address.",
             "If the device's network has a static public IP or a certificate, an Office 365 inbound connector avoids the on-prem relay."]),
    };

    private static List<string> Warnings(DeviceVolumes v)
    {
        var warnings = new List<string>();
        if (v.PeakMessagesPerMinute > MessagesPerMinuteLimit)
            warnings.Add($"Sends up to {v.PeakMessagesPerMinute} messages per minute; Exchange Online allows {MessagesPerMinuteLimit} per mailbox and does not raise it: use a bulk-mail service.");
        var recipientsPerDay = v.RecipientsPerDay ?? v.MessagesPerDay;
        if (recipientsPerDay > RecipientsPerDayLimit)
            warnings.Add($"Reaches at least {recipientsPerDay} recipients per day; Exchange Online allows {RecipientsPerDayLimit:N0} per mailbox and does not raise it: use a bulk-mail service.");
        if (v.MaxRecipientsPerMessage > RecipientsPerMessageLimit)
            warnings.Add($"Addresses up to {v.MaxRecipientsPerMessage} recipients in one message; Exchange Online allows {RecipientsPerMessageLimit}: use a distribution group or a bulk-mail service.");
        return warnings;
    }

    public static bool OverLimits(DeviceVolumes v) =>
        v.PeakMessagesPerMinute > MessagesPerMinuteLimit || (v.RecipientsPerDay ?? v.MessagesPerDay) > RecipientsPerDayLimit
        || v.MaxRecipientsPerMessage > RecipientsPerMessageLimit;

    /// <summary>Why the device cannot use this method on this port on the day; empty when it can.</summary>
    public static IReadOnlyList<string> Refusals(DeviceFacts facts, RelayMethod method, int port, RelayDay day)
    {
        var refusals = new List<string>();
        if (method is AuthenticatedSubmission587 or AuthenticatedPort25 or HighVolumeEmail or AzureCommunicationServices && !facts.SupportsSmtpAuth)
            refusals.Add($"{Common.Kebab.Name(method)} needs SMTP AUTH, which the device does not support.");
        if (method is DirectSend or HighVolumeEmail && facts.SendsExternal)
            refusals.Add($"{Common.Kebab.Name(method)} only delivers to the organisation's own recipients, and the device must reach external recipients.");
        if (RelayRules.Ended(facts, method, day) is { } ended) refusals.Add(ended);
        if (port != 25 && !facts.CanChangePort)
            refusals.Add($"The device cannot change its SMTP port from 25 to {port}.");
        if (port == 465)
            refusals.Add("Port 465 (implicit TLS) is not supported by Office 365 SMTP submission.");
        if (method is AuthenticatedSubmission587 or HighVolumeEmail or AzureCommunicationServices && port != 587)
            refusals.Add($"{Common.Kebab.Name(method)} uses port 587, not {port}.");
        if (method is AuthenticatedPort25 or DirectSend or ConnectorRelay && port != 25)
            refusals.Add($"{Common.Kebab.Name(method)} uses port 25, not {port}.");
        return refusals;
    }

    /// <summary>A re-pointed device still depends on on-prem servers unless it sends to Office 365's own hosts.</summary>
    public static bool StaysOnPremises(RelayMethod method, string host) =>
        method is AnonymousRelay or OnPremisesExchange
        || !CloudHostSuffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase));
}

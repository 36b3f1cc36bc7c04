using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

/// <param name="CanChangePort">Can the device use a port other than 25?</param>
/// <param name="SupportsSmtpAuth">Can it authenticate with a user name and password?</param>
/// <param name="SendsExternal">Must it reach recipients outside the organisation's domains?</param>
/// <param name="BasicAuthOnly">Does its SMTP AUTH only do basic authentication?</param>
/// <param name="MessagesPerDay">Messages it sends per day.</param>
/// <param name="PeakMessagesPerMinute">Messages it sends in its busiest minute.</param>
/// <param name="MaxRecipientsPerMessage">The most recipients one message has.</param>
/// <param name="RecipientsPerDay">Recipients per day, when known (else messagesPerDay is the lower bound).</param>
/// <param name="RejectDirectSend">Whether the tenant rejects direct send (default false).</param>
/// <param name="SmtpBasicAuthReenabled">Whether the tenant turned SMTP AUTH Basic authentication back on after Microsoft's default change (default false).</param>
public record AdviseRelay(bool? CanChangePort, bool? SupportsSmtpAuth, bool? SendsExternal, bool? BasicAuthOnly,
    int? MessagesPerDay, int? PeakMessagesPerMinute, int? MaxRecipientsPerMessage, int? RecipientsPerDay, bool? RejectDirectSend = null,
    bool? SmtpBasicAuthReenabled = null)
{
    public DeviceFacts Facts => new(CanChangePort!.Value, SupportsSmtpAuth!.Value, SendsExternal!.Value, BasicAuthOnly);
    public DeviceVolumes Volumes => new(MessagesPerDay, PeakMessagesPerMinute, MaxRecipientsPerMessage, RecipientsPerDay);

    public class Validator : AbstractValidator<AdviseRelay>
    {
        public Validator()
        {
            RuleFor(x => x.CanChangePort).NotNull();
            RuleFor(x => x.SupportsSmtpAuth).NotNull();
            RuleFor(x => x.SendsExternal).NotNull();
            RuleFor(x => x.MessagesPerDay).GreaterThanOrEqualTo(0);
            RuleFor(x => x.PeakMessagesPerMinute).GreaterThanOrEqualTo(0);
            RuleFor(x => x.MaxRecipientsPerMessage).GreaterThanOrEqualTo(0);
            RuleFor(x => x.RecipientsPerDay).GreaterThanOrEqualTo(0);
        }
    }
}

public static class AdviseRelayEndpoint
{
    [Tags("Advice")]
    [Microsoft.AspNetCore.Authorization.Authorize(Policy = Security.ApiSecurity.Read)]
    [RequestExample("""{"canChangePort":false,"supportsSmtpAuth":false,"sendsExternal":true,"peakMessagesPerMinute":12}""")]
    [WolverinePost("/api/relay-advice", OperationId = "adviseRelay", Summary = "Ask the relay advisor how a device should send mail",
        Description = "Stores nothing. From the three facts (can change port, supports SMTP AUTH, sends to external recipients) and optional volumes: " +
                      "the method, the alternatives, whether something must stay on-premises, the reasons, and a warning for each Exchange Online limit broken " +
                      "(30 messages/minute, 10,000 recipients/day, 500 recipients/message) and for a method's end. `on` (a date; default the day of `asOf`, else today) " +
                      "is the day the advice is for: Microsoft's dated rules (SMTP AUTH Basic off by default from 2026-12-31) and the tenant's settings in the body " +
                      "decide which methods work then; a method that ends within 90 days gives way to one that lasts.")]
    public static RelayAdvice Post(AdviseRelay request, DateOnly? on, DateTimeOffset? asOf, TimeProvider time)
    {
        var day = on ?? DateOnly.FromDateTime((asOf ?? time.GetUtcNow()).UtcDateTime);
        // Direct send is rejected from the day asked about: the tenant's own date is not known here.
        var policy = new RelayPolicy(request.RejectDirectSend == true ? day : null, request.SmtpBasicAuthReenabled == true);
        return RelayAdvisor.Advise(request.Facts, request.Volumes, new RelayDay(day, policy));
    }
}

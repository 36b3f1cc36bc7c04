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
public record AdviseRelay(bool? CanChangePort, bool? SupportsSmtpAuth, bool? SendsExternal, bool? BasicAuthOnly,
    int? MessagesPerDay, int? PeakMessagesPerMinute, int? MaxRecipientsPerMessage, int? RecipientsPerDay)
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
                      "(30 messages/minute, 10,000 recipients/day, 500 recipients/message) and for basic-auth-only SMTP AUTH.")]
    public static RelayAdvice Post(AdviseRelay request) => RelayAdvisor.Advise(request.Facts, request.Volumes);
}

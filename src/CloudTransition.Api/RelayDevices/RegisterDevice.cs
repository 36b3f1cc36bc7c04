using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

/// <param name="Name">The device or application, e.g. `2nd floor MFP`.</param>
/// <param name="Kind">printer, scanner, application or other.</param>
/// <param name="CanChangePort">Can it use a port other than 25?</param>
/// <param name="SupportsSmtpAuth">Can it authenticate?</param>
/// <param name="SendsExternal">Must it reach external recipients?</param>
/// <param name="BasicAuthOnly">Does its SMTP AUTH only do basic authentication?</param>
/// <param name="CurrentTarget">Where it sends today, e.g. `exch01.abc.local:25`.</param>
/// <param name="MessagesPerDay">Messages per day.</param>
/// <param name="PeakMessagesPerMinute">Messages in its busiest minute.</param>
/// <param name="MaxRecipientsPerMessage">The most recipients of one message.</param>
/// <param name="RecipientsPerDay">Recipients per day, when known.</param>
/// <param name="IpAddress">The address it sends from (IPv4 or IPv6), when known: a sender seen in Exchange's logs with it is this device.</param>
/// <param name="OccurredAt">When it was registered; defaults to now.</param>
public record RegisterDevice(string? Name, DeviceKind? Kind, bool? CanChangePort, bool? SupportsSmtpAuth, bool? SendsExternal,
    bool? BasicAuthOnly, string? CurrentTarget, int? MessagesPerDay, int? PeakMessagesPerMinute, int? MaxRecipientsPerMessage,
    int? RecipientsPerDay, DateTimeOffset? OccurredAt, string? IpAddress = null) : IReported
{
    public class Validator : AbstractValidator<RegisterDevice>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Kind).NotNull();
            RuleFor(x => x.CanChangePort).NotNull();
            RuleFor(x => x.SupportsSmtpAuth).NotNull();
            RuleFor(x => x.SendsExternal).NotNull();
            RuleFor(x => x.CurrentTarget).NotEmpty().MaximumLength(300);
            RuleFor(x => x.MessagesPerDay).GreaterThanOrEqualTo(0);
            RuleFor(x => x.PeakMessagesPerMinute).GreaterThanOrEqualTo(0);
            RuleFor(x => x.MaxRecipientsPerMessage).GreaterThanOrEqualTo(0);
            RuleFor(x => x.RecipientsPerDay).GreaterThanOrEqualTo(0);
            RuleFor(x => x.IpAddress).Must(IpAddresses.IsValid).When(x => x.IpAddress is not null)
                .WithMessage("'ipAddress' must be an IPv4 or IPv6 address.");
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RegisterDeviceEndpoint
{
    public static Decision Decide(RegisterDevice r, string id, string deviceId, DateTimeOffset at) => Decision.Accept(new RelayDeviceRegistered(id, deviceId,
        r.Name!.Trim(), r.Kind!.Value, new DeviceFacts(r.CanChangePort!.Value, r.SupportsSmtpAuth!.Value, r.SendsExternal!.Value, r.BasicAuthOnly),
        r.CurrentTarget!.Trim(), new DeviceVolumes(r.MessagesPerDay, r.PeakMessagesPerMinute, r.MaxRecipientsPerMessage, r.RecipientsPerDay), at)
        { IpAddress = r.IpAddress is null ? null : IpAddresses.Canonical(r.IpAddress) });

    public static async Task<Outcome<RelayDevice>> Handle(string id, RegisterDevice r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var deviceId = TransitionChecks.NewItemId();
        return session.StartWith<RelayDevice>(RelayDevice.Key(id, deviceId), Decide(r, id, deviceId, r.At(time)), RelayDevice.Fold);
    }

    [Tags("Relay devices")]
    [RequestExample("""{"name":"2nd floor MFP","kind":"printer","canChangePort":false,"supportsSmtpAuth":true,"sendsExternal":true,"currentTarget":"exch03.abc.local:25","messagesPerDay":120,"peakMessagesPerMinute":6}""")]
    [WolverinePost("/api/transitions/{id}/devices", OperationId = "registerDevice", Summary = "Register a device that relays mail through Exchange",
        Description = "Answers 201 with the device and the relay advisor's recommendation for it.")]
    public static async Task<Results<Created<DeviceView>, ProblemHttpResult>> Post(string id, RegisterDevice r, IDocumentSession session, TimeProvider time)
    {
        var day = await session.RelayDayAt(id, time.GetUtcNow());
        return (await Handle(id, r, session, time)).Answer(d => TypedResults.Created($"/api/transitions/{id}/devices/{d.DeviceId}", DeviceView.Of(d, day)));
    }
}

using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

/// <param name="Method">How it sends from now on.</param>
/// <param name="Host">Where it sends, e.g. `smtp.office365.com` or `abc-com.mail.protection.outlook.com`.</param>
/// <param name="Port">The SMTP port.</param>
/// <param name="Override">Accept a method the advisor refuses for this device (needs a justification).</param>
/// <param name="Justification">Why the refusal is overridden; recorded with the event.</param>
/// <param name="OccurredAt">When it was re-pointed; defaults to now.</param>
public record RepointDevice(RelayMethod? Method, string? Host, int? Port, bool? Override, string? Justification, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RepointDevice>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Method).NotNull().NotEqual(RelayMethod.OnPremisesExchange).WithMessage("Re-point to a method that replaces on-prem Exchange.");
            RuleFor(x => x.Host).NotEmpty().MaximumLength(253).Matches(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$").WithMessage("host must be a host name or IP address.");
            RuleFor(x => x.Port).NotNull().InclusiveBetween(1, 65535);
            RuleFor(x => x.Justification).NotEmpty().When(x => x.Override == true).WithMessage("An override needs a justification.");
            RuleFor(x => x.Justification).MaximumLength(2000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RepointDeviceEndpoint
{
    /// <summary>
    /// A retired device cannot be re-pointed; a method the device cannot use is refused with the reasons unless overridden
    /// with a justification, which the event records.
    /// </summary>
    public static Decision Decide(RelayDevice? device, RepointDevice r, string id, string deviceId, DateTimeOffset at, RelayPolicy policy)
    {
        if (device is null) return new Refusal.NotFound($"No device '{deviceId}' in transition '{id}'.");
        if (device.State == DeviceState.Retired) return new Refusal.Conflict($"Device '{device.Name}' is retired.");
        var refusals = RelayAdvisor.Refusals(device.Facts, r.Method!.Value, r.Port!.Value, RelayDay.Of(at, policy));
        var overridden = r.Override == true;
        if (refusals.Count > 0 && !overridden) return new Refusal.Unprocessable(string.Join(" ", refusals) + " Send override: true with a justification to record it anyway.");
        return Decision.Accept(new RelayDeviceRepointed(id, deviceId, r.Method.Value, r.Host!.Trim(), r.Port.Value, overridden && refusals.Count > 0,
            overridden ? r.Justification : null, at));
    }

    public static async Task<Outcome<RelayDevice>> Handle(string id, string deviceId, RepointDevice r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<RelayDevice>(RelayDevice.Key(id, deviceId));
        var policy = (await session.RelayDayAt(id, r.At(time))).Policy;
        return stream.Apply(Decide(stream.Aggregate, r, id, deviceId, r.At(time), policy), RelayDevice.Fold);
    }

    [Tags("Relay devices")]
    [RequestExample("""{"method":"authenticated-port-25","host":"smtp.office365.com","port":25}""")]
    [WolverinePost("/api/transitions/{id}/devices/{deviceId}/repoint", OperationId = "repointDevice", Summary = "Re-point a device away from on-prem Exchange",
        Description = "A method the device cannot use (authenticated without SMTP AUTH, direct send with external recipients, a port it cannot change to) " +
                      "answers 422 with the reasons, unless `override: true` with a `justification`, which is recorded. A retired device answers 409.")]
    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Post(string id, string deviceId, RepointDevice r, IDocumentSession session, TimeProvider time)
    {
        var day = await session.RelayDayAt(id, time.GetUtcNow());
        return (await Handle(id, deviceId, r, session, time)).Answer(d => TypedResults.Ok(DeviceView.Of(d, day)));
    }
}

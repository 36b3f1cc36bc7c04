using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

/// <param name="OccurredAt">When it stopped sending; defaults to now.</param>
public record RetireDevice(DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RetireDevice>
    {
        public Validator(TimeProvider time) => this.OccurredAtIsNotInTheFuture(time);
    }
}

public static class RetireDeviceEndpoint
{
    /// <summary>A retired device stays retired: retiring it again records nothing.</summary>
    public static Decision Decide(RelayDevice? device, string id, string deviceId, DateTimeOffset at) => device switch
    {
        null => new Refusal.NotFound($"No device '{deviceId}' in transition '{id}'."),
        { State: DeviceState.Retired } => Decision.Nothing,
        _ => Decision.Accept(new RelayDeviceRetired(id, deviceId, at)),
    };

    public static async Task<Outcome<RelayDevice>> Handle(string id, string deviceId, RetireDevice r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<RelayDevice>(RelayDevice.Key(id, deviceId));
        return stream.Apply(Decide(stream.Aggregate, id, deviceId, r.At(time)), RelayDevice.Fold);
    }

    [Tags("Relay devices")]
    [RequestExample("""{"occurredAt":"2026-10-20T09:00:00Z"}""")]
    [WolverinePost("/api/transitions/{id}/devices/{deviceId}/retire", OperationId = "retireDevice", Summary = "Retire a device",
        Description = "The device no longer sends mail, so it no longer ties the organisation to on-prem Exchange. Retiring it again answers 200 and records nothing.")]
    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Post(string id, string deviceId, RetireDevice r, IDocumentSession session, TimeProvider time)
    {
        var day = await session.RelayDayAt(id, time.GetUtcNow());
        return (await Handle(id, deviceId, r, session, time)).Answer(d => TypedResults.Ok(DeviceView.Of(d, day)));
    }
}

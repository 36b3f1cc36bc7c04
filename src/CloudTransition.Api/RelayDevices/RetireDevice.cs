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
    [Tags("Relay devices")]
    [WolverinePost("/api/transitions/{id}/devices/{deviceId}/retire", OperationId = "retireDevice", Summary = "Retire a device",
        Description = "The device no longer sends mail, so it no longer ties the organisation to on-prem Exchange. Retiring it again answers 200 and records nothing.")]
    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Post(string id, string deviceId, RetireDevice r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<RelayDevice>(RelayDevice.Key(id, deviceId));
        if (stream.Aggregate is not { } device) return Problem.NotFound($"No device '{deviceId}' in transition '{id}'.");
        if (device.State == DeviceState.Retired) return TypedResults.Ok(DeviceView.Of(device));

        var e = new RelayDeviceRetired(id, deviceId, r.At(time));
        stream.AppendOne(e);
        return TypedResults.Ok(DeviceView.Of(device.Then(e, RelayDevice.Fold)));
    }
}

using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

public static class ReadDevicesEndpoints
{
    [Tags("Relay devices")]
    [WolverineGet("/api/transitions/{id}/devices/{deviceId}", OperationId = "getDevice", Summary = "Get a device, its state and its recommendation",
        Description = "A relay device with its three facts, declared volumes, where it sends now (state, method, host, port, any override) and the relay advisor's recommendation.")]
    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Get(string id, string deviceId, IQuerySession session) =>
        await session.LoadAsync<RelayDevice>(RelayDevice.Key(id, deviceId)) is { } device
            ? TypedResults.Ok(DeviceView.Of(device))
            : Problem.NotFound($"No device '{deviceId}' in transition '{id}'.");

    [Tags("Relay devices")]
    [WolverineGet("/api/transitions/{id}/devices", OperationId = "listDevices", Summary = "List a transition's relay devices",
        Description = "Every relay device of the transition with its state and recommendation, by name.")]
    public static Task<Results<Ok<IReadOnlyList<DeviceView>>, ProblemHttpResult>> List(string id, IQuerySession session) =>
        session.ItemsOf<RelayDevice, DeviceView>(id, d => d.Name, DeviceView.Of);
}

using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDevices;

public static class ReadDevicesEndpoints
{
    private const string Dates = "`asOf` (an instant) shows the devices as they stood then; `on` (a date, default the day of `asOf` or today) is the day the " +
                                 "advice is for: which method works then under Microsoft's dated rules and the tenant's settings.";

    [Tags("Relay devices")]
    [WolverineGet("/api/transitions/{id}/devices/{deviceId}", OperationId = "getDevice", Summary = "Get a device, its state and its recommendation",
        Description = "A relay device with its three facts, declared volumes, where it sends now (state, method, host, port, any override), when that method " +
                      "stops working for it, and the relay advisor's recommendation. " + Dates)]
    public static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Get(string id, string deviceId, DateTimeOffset? asOf, DateOnly? on, IQuerySession session,
        TimeProvider time)
    {
        if (await Devices(session, id, asOf, on, time) is not { } read) return Problem.TransitionNotFound(id);
        return read.Devices.FirstOrDefault(d => d.DeviceId == deviceId) is { } device
            ? TypedResults.Ok(DeviceView.Of(device, read.Day))
            : Problem.NotFound($"No device '{deviceId}' in transition '{id}'.");
    }

    [Tags("Relay devices")]
    [ResponseHeader("200", "Link", "`<…&after=…>; rel=\"next\"` when more items follow.")]
    [ResponseHeader("200", "X-Total-Count", "How many items the whole list has.")]
    [WolverineGet("/api/transitions/{id}/devices", OperationId = "listDevices", Summary = "List a transition's relay devices",
        Description = "Every relay device of the transition with its state and recommendation, by name. " + Dates +
                      " With `Accept: text/csv` or `format=csv`: the whole list as a CSV file." + " Paged: `limit` (1–5000, default 500) and `after`; a `Link` header with rel=\"next\" gives the next page, `X-Total-Count` the whole list's count.")]
    public static async Task<Results<Ok<IReadOnlyList<DeviceView>>, CsvFile, ProblemHttpResult>> List(string id, DateTimeOffset? asOf, DateOnly? on, string? format,
        int? limit, string? after, HttpRequest http, IQuerySession session, Cursors cursors, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        var list = $"devices:{id}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 2);
        if (problem is not null) return problem;
        if (await Devices(session, id, asOf, on, time) is not { } read) return Problem.TransitionNotFound(id);
        var devices = read.Devices.OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.DeviceId, StringComparer.Ordinal).Select(d => DeviceView.Of(d, read.Day)).ToList();
        if (!CsvFile.Wanted(http, format))
            return TypedResults.Ok(paging!.Cut(devices, d => [d.Device.Name, d.Device.DeviceId], cursors, list, http.HttpContext));
        var organisation = (await session.LoadAsync<Transition>(id))?.Organisation ?? id;
        return CsvFile.Of(organisation, "devices", asOf ?? time.GetUtcNow(),
            ["deviceId", "name", "kind", "ipAddress", "state", "canChangePort", "supportsSmtpAuth", "sendsExternal", "basicAuthOnly", "currentTarget", "method",
             "host", "port", "currentMethodEnds", "recommended", "alternatives", "recommendedWorksUntil", "warnings", "registeredAt", "changedAt"],
            devices, v => [v.Device.DeviceId, v.Device.Name, v.Device.Kind, v.Device.IpAddress, v.Device.State, v.Device.Facts.CanChangePort, v.Device.Facts.SupportsSmtpAuth,
                v.Device.Facts.SendsExternal, v.Device.Facts.BasicAuthOnly, v.Device.CurrentTarget, v.Device.Method, v.Device.Host, v.Device.Port, v.CurrentMethodEnds,
                v.Recommendation.Method, v.Recommendation.Alternatives.Select(a => Kebab.Name(a)), v.Recommendation.WorksUntil, v.Recommendation.Warnings,
                v.Device.RegisteredAt, v.Device.ChangedAt]);
    }

    /// <summary>The devices now (their documents) or as of an instant (the transition's fold), and the day to judge them on.</summary>
    private static async Task<(IReadOnlyList<RelayDevice> Devices, RelayDay Day)?> Devices(IQuerySession session, string id, DateTimeOffset? asOf, DateOnly? on,
        TimeProvider time)
    {
        var at = asOf ?? time.GetUtcNow();
        if (asOf is null)
        {
            if (await session.LoadAsync<Transition>(id) is not { } transition) return null;
            var devices = await session.Query<RelayDevice>().Where(d => d.TransitionId == id).ToListAsync();
            return (devices, new RelayDay(on ?? DateOnly.FromDateTime(at.UtcDateTime), transition.Settings.RelayPolicy));
        }
        if (await ViewReader.Read(session, id, asOf) is not { } view) return null;
        return (view.Devices.Values.ToList(), new RelayDay(on ?? DateOnly.FromDateTime(at.UtcDateTime), view.Settings.RelayPolicy));
    }
}

public static class RelayDays
{
    /// <summary>The day of an instant under the transition's relay policy now.</summary>
    public static async Task<RelayDay> RelayDayAt(this IQuerySession session, string id, DateTimeOffset at) =>
        RelayDay.Of(at, (await session.LoadAsync<Transition>(id))?.Settings.RelayPolicy ?? RelayPolicy.Default);
}

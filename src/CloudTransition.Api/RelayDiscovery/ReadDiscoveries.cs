using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDiscovery;

public static class ReadDiscoveriesEndpoints
{
    /// <summary>A discovery with its senders as they stand now, each matched against the registered devices.</summary>
    public static async Task<DiscoveryAnswer> Answer(IQuerySession session, RelayDiscoveryRecord discovery, DateTimeOffset now)
    {
        var day = await session.RelayDayAt(discovery.TransitionId, now);
        var ips = discovery.Summary!.Senders;
        var senders = await session.Query<RelaySender>().Where(s => s.TransitionId == discovery.TransitionId && ips.Contains(s.RemoteIp)).ToListAsync();
        var devices = await Devices(session, discovery.TransitionId);
        return DiscoveryAnswer.Of(discovery, senders.OrderBy(s => s.RemoteIp, StringComparer.Ordinal)
            .Select(s => SenderAnswer.Of(s, SenderRules.Device(s, devices), day)).ToList());
    }

    public static async Task<IReadOnlyList<RelayDevice>> Devices(IQuerySession session, string id) =>
        await session.Query<RelayDevice>().Where(d => d.TransitionId == id && d.IpAddress != null).ToListAsync();

    [Tags("Relay discovery")]
    [WolverineGet("/api/transitions/{id}/relay-discovery/{discoveryId}", OperationId = "getRelayDiscovery", Summary = "A reading of Exchange's logs",
        Description = "What the logs held (kinds, lines, malformed lines, sessions, messages, what was left out) and each sender they showed, as all discoveries so far saw it.")]
    public static async Task<Results<Ok<DiscoveryAnswer>, ProblemHttpResult>> Get(string id, string discoveryId, IQuerySession session, TimeProvider time) =>
        await session.LoadAsync<RelayDiscoveryRecord>(RelayDiscoveryRecord.Key(id, discoveryId)) is { } discovery
            ? TypedResults.Ok(await Answer(session, discovery, time.GetUtcNow()))
            : Problem.NotFound($"No relay discovery '{discoveryId}' in transition '{id}'.");

    [Tags("Relay discovery")]
    [ResponseHeader("200", "Link", "`<…&after=…>; rel=\"next\"` when more items follow.")]
    [ResponseHeader("200", "X-Total-Count", "How many items the whole list has.")]
    [WolverineGet("/api/transitions/{id}/relay-senders", OperationId = "listRelaySenders", Summary = "Every sender seen relaying through Exchange",
        Description = "Each sender any discovery found, by IP, with its status (unknown: no registered device has its IP, a remaining dependency that keeps " +
                      "Exchange on; registered; dismissed), facts, assumptions and recommendation. `status` filters; `on` (a date, default today) is " +
                      "the day the advice is for; `asOf` (an instant) shows the senders as they stood then. With `Accept: text/csv` or `format=csv`: " +
                      "the whole list as a CSV file. Paged: `limit` (1–5000, default 500) and `after`; a `Link` header with rel=\"next\" gives the next page, `X-Total-Count` the whole list's count.")]
    public static async Task<Results<Ok<IReadOnlyList<SenderAnswer>>, CsvFile, ProblemHttpResult>> List(string id, SenderStatus? status, DateOnly? on,
        DateTimeOffset? asOf, string? format, int? limit, string? after, HttpRequest http, IQuerySession session, Cursors cursors, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        var list = $"relay-senders:{id}:{status}:{asOf?.ToUnixTimeMilliseconds()}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 1);
        if (problem is not null) return problem;
        IReadOnlyList<SenderAnswer> senders;
        if (asOf is not null)
        {
            if (await ViewReader.Read(session, id, asOf) is not { } view) return Problem.TransitionNotFound(id);
            senders = Listed(view.SendersWithDevices, RelayDay.Of(asOf.Value, view.Settings.RelayPolicy), status, on);
        }
        else
        {
            if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
            var devices = await Devices(session, id);
            var found = await session.Query<RelaySender>().Where(s => s.TransitionId == id).ToListAsync();
            senders = Listed(found.Select(s => (s, SenderRules.Device(s, devices))), await session.RelayDayAt(id, time.GetUtcNow()), status, on);
        }
        if (!CsvFile.Wanted(http, format)) return TypedResults.Ok(paging!.Cut(senders, s => [s.RemoteIp], cursors, list, http.HttpContext));
        var organisation = (await session.LoadAsync<Transition>(id))?.Organisation ?? id;
        return CsvFile.Of(organisation, "relay-senders", asOf ?? time.GetUtcNow(),
            ["remoteIp", "status", "deviceId", "hostname", "localIp", "localPort", "connector", "authenticated", "authMechanism", "tls", "sendsExternal",
             "messagesPerDay", "busiestDay", "recipientsPerDay", "peakMessagesPerMinute", "maxRecipientsPerMessage", "firstSeen", "lastSeen", "dismissedReason",
             "recommended", "alternatives", "warnings", "assumptions"],
            senders, s => [s.RemoteIp, s.Status, s.DeviceId, s.Hostname, s.LocalIp, s.LocalPort, s.Connector, s.Authenticated, s.AuthMechanism, s.Tls, s.SendsExternal,
                s.MessagesPerDay, s.BusiestDay, s.RecipientsPerDay, s.PeakMessagesPerMinute, s.MaxRecipientsPerMessage, s.FirstSeen, s.LastSeen, s.DismissedReason,
                s.Recommendation.Method, s.Recommendation.Alternatives.Select(a => Kebab.Name(a)), s.Recommendation.Warnings, s.Assumptions]);
    }

    private static IReadOnlyList<SenderAnswer> Listed(IEnumerable<(RelaySender Sender, RelayDevice? Device)> senders, RelayDay day, SenderStatus? status, DateOnly? on) =>
        senders.OrderBy(p => p.Sender.RemoteIp, StringComparer.Ordinal)
            .Select(p => SenderAnswer.Of(p.Sender, p.Device, on is { } date ? day with { On = date } : day))
            .Where(s => status is null || s.Status == status).ToList();
}

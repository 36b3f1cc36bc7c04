using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDiscovery;

public static class DiscoverRelaysEndpoint
{
    /// <summary>The events a reading of the logs records: the reading itself, and each sender it shows something new of.</summary>
    public static IReadOnlyList<ITransitionEvent> Decide(string id, string discoveryId, string hash, RelayDigest digest,
        IReadOnlyDictionary<string, RelaySender> known, DateTimeOffset at)
    {
        var summary = new RelayLogSummary(digest.Kinds, digest.Lines, digest.Malformed, digest.FirstMalformed, digest.Sessions, digest.Messages,
            digest.Excluded, [.. digest.Senders.Select(s => s.RemoteIp)]);
        var seen = digest.Senders.Where(o => known.GetValueOrDefault(o.RemoteIp) is not { } sender || !sender.Absorbs(o))
            .Select(o => new RelaySenderSeen(id, discoveryId, o, o.LastSeen < at ? o.LastSeen : at));
        return [new RelayLogsRead(id, discoveryId, hash, summary, at), .. seen];
    }

    /// <summary>Reads the logs, then records what they showed; the same log read before answers that reading and records nothing.</summary>
    [Tags("Relay discovery")]
    [RequestExample("text/plain", """
        #Software: Microsoft Exchange Server
        #Version: 15.0.0.0
        #Log-type: SMTP Receive Protocol Log
        #Date: 2026-11-30T08:00:00.000Z
        #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
        2026-11-30T08:00:01.000Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,0,10.0.0.5:25,10.0.1.50:51234,+,,
        2026-11-30T08:00:01.010Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,1,10.0.0.5:25,10.0.1.50:51234,<,EHLO mfp-2ndfloor.abc.local,
        2026-11-30T08:00:01.020Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,2,10.0.0.5:25,10.0.1.50:51234,<,MAIL FROM:<scanner@abc.com>,
        2026-11-30T08:00:01.030Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,3,10.0.0.5:25,10.0.1.50:51234,<,RCPT TO:<ann@abc.com>,
        2026-11-30T08:00:01.300Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,4,10.0.0.5:25,10.0.1.50:51234,>,250 2.6.0 <a1@mfp> [InternalId=1] Queued mail for delivery,
        2026-11-30T08:00:02.401Z,EXCH01\Default Frontend EXCH01,08DE0A1B2C3D4E01,5,10.0.0.5:25,10.0.1.50:51234,-,,Local
        """)]
    [WolverinePost("/api/transitions/{id}/relay-discovery", OperationId = "discoverRelays", Summary = "Find the devices relaying through Exchange in its own logs",
        Description = "The body is Exchange's SMTP Receive protocol logs (`#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint," +
                      "remote-endpoint,event,data,context`) and/or message tracking logs (their own `#Fields:` header), several files concatenated, CRLF or LF, " +
                      "optionally `Content-Encoding: gzip`; up to 2 GiB on the wire, read as it streams. Per sender IP: port, connector, AUTH, TLS, whether any " +
                      "recipient is outside the transition's domains, its busiest day and minute, the most recipients of one message, first and last seen, " +
                      "its EHLO name and the relay advisor's recommendation (what the logs cannot show is assumed conservatively, and said). Sessions between " +
                      "Exchange servers, from Exchange Online, without mail, and mail from the internet to the organisation are left out and counted. " +
                      "Malformed lines are counted (the first few with their line numbers). 201 with the discovery; the same log again answers 200 with " +
                      "the discovery that read it and records nothing; a later log updates last seen and volumes. 422 when the body is no Exchange log.")]
    public static async Task<IResult> Post(string id, HttpRequest http, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!RelayLogBody.IsReadable(http.ContentType))
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type",
                detail: $"Content-Type '{http.ContentType}' is not accepted here: send Exchange's logs as text/plain (or text/csv, application/octet-stream).");
        if (await session.LoadAsync<Transition>(id) is not { } transition) return Problem.TransitionNotFound(id);
        var (log, encodingProblem) = RelayLogBody.Open(http);
        if (log is null) return TypedResults.Problem(statusCode: 415, title: "Unsupported content encoding", detail: encodingProblem);
        var now = time.GetUtcNow();
        var parser = new RelayLogParser(transition.Domains, now);
        string hash;
        await using (log)
        {
            try { hash = await LogLines.ReadAsync(log, parser, cancellation); }
            catch (InvalidDataException) { return Problem.Invalid("body", "Content-Encoding says gzip, but the body is not valid gzip data."); }
            catch (RelayLogBody.TooLarge e) { return TypedResults.Problem(statusCode: 413, title: "Payload too large", detail: e.Message); }
            catch (BadHttpRequestException e) when (e.StatusCode == 413)
            {
                return TypedResults.Problem(statusCode: 413, title: "Payload too large", detail: $"At most {RelayLogBody.MaxWireBytes} bytes are accepted here.");
            }
        }
        if (parser.Lines == 0) return Problem.Invalid("body", "The body is empty: send Exchange's SMTP Receive protocol logs or message tracking logs.");
        if (parser.Kinds.Count == 0)
            return TypedResults.Problem(statusCode: 422, title: "Not an Exchange log", detail: "No '#Fields:' header of an SMTP Receive protocol log " +
                "(date-time,connector-id,session-id,…,event,data,context) or a message tracking log (…,client-ip,…,event-id,…) in the body" +
                (parser.GaveUp ? $" within its first {parser.Lines} lines." : "."));

        var existing = await session.Query<RelayDiscoveryRecord>().Where(d => d.TransitionId == id && d.ContentHash == hash).FirstOrDefaultAsync();
        if (existing is null)
        {
            var digest = parser.Finish();
            var discoveryId = TransitionChecks.NewItemId();
            await Record(id, Decide(id, discoveryId, hash, digest, await Known(session, id), now), session);
            await session.SaveChangesAsync(cancellation);
            existing = await session.LoadAsync<RelayDiscoveryRecord>(RelayDiscoveryRecord.Key(id, discoveryId));
            return TypedResults.Created($"/api/transitions/{id}/relay-discovery/{discoveryId}", await ReadDiscoveriesEndpoints.Answer(session, existing!, now));
        }
        return TypedResults.Ok(await ReadDiscoveriesEndpoints.Answer(session, existing, now));
    }

    private static async Task<IReadOnlyDictionary<string, RelaySender>> Known(IQuerySession session, string id) =>
        (await session.Query<RelaySender>().Where(s => s.TransitionId == id).ToListAsync()).ToDictionary(s => s.RemoteIp);

    private static async Task Record(string id, IReadOnlyList<ITransitionEvent> events, IDocumentSession session)
    {
        var senders = events.OfType<RelaySenderSeen>().ToList();
        await session.FetchAhead<RelaySender>(senders.Select(s => RelaySender.Key(id, s.Observation.RemoteIp)).ToList());
        foreach (var e in senders) (await session.StreamForWriting<RelaySender>(RelaySender.Key(id, e.Observation.RemoteIp))).AppendOne(e);
        foreach (var e in events.OfType<RelayLogsRead>()) session.Events.StartStream<RelayDiscoveryRecord>(RelayDiscoveryRecord.Key(id, e.DiscoveryId), e);
    }

    public static void Configure(HttpChain chain) =>
        chain.Metadata.WithMetadata(new RawTextBody("Exchange's SMTP Receive protocol logs and/or message tracking logs, as written (several files concatenated).",
                RelayLogBody.MediaTypes))
            .Produces<DiscoveryAnswer>(201).Produces<DiscoveryAnswer>(200)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
}

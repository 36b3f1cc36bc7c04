using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Dashboard;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Notifications;

/// <summary>Writes a digest from the live views and mails it; records when it went, or why not, and when it is due next.</summary>
public sealed class DigestSender(DigestMailer mailer, TimeProvider time)
{
    public const int MaxTransitions = 500;

    /// <summary>Sends the digest now: the message sent, or why it could not be.</summary>
    public async Task<(DigestMessage? Sent, string? Error)> Send(IDocumentSession session, Digest digest, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        (DigestMessage? Sent, string? Error) outcome;
        if (!mailer.Configured) outcome = (null, "SMTP is not configured: set Smtp__Host (and Smtp__Port, Smtp__From).");
        else
        {
            var message = await Compose(session, digest, now, ct);
            try
            {
                await mailer.Send(digest.To, message.Subject, message.Html, message.Text, ct);
                outcome = (message, null);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException
                                          or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException)
            {
                outcome = (null, $"The SMTP server did not take the digest: {e.Message}");
            }
        }
        if (outcome.Sent is not null) digest.LastSentAt = now;
        (digest.LastError, digest.NextDueAt) = (outcome.Error, DigestRules.NextDue(digest.Schedule, now));
        session.Store(digest);
        await session.SaveChangesAsync(ct);
        return outcome;
    }

    private static async Task<DigestMessage> Compose(IDocumentSession session, Digest digest, DateTimeOffset now, CancellationToken ct)
    {
        if (digest.TransitionId is { } id)
        {
            var view = await ViewReader.Read(session, id, null) ?? new TransitionView { Id = id };
            return DigestContent.Transition(DashboardRules.Of(view, now, null), digest.Schedule, digest.LastSentAt, await Changes(session, id, digest.LastSentAt, ct));
        }
        var transitions = await session.Query<Transition>().OrderBy(t => t.Organisation).Take(MaxTransitions).ToListAsync(ct);
        var dashboards = new List<DashboardView>();
        foreach (var transition in transitions)
            if (await ViewReader.Read(session, transition.Id, null) is { } view) dashboards.Add(DashboardRules.Of(view, now, null));
        return DigestContent.Portfolio(session.TenantId, dashboards, digest.Schedule, digest.LastSentAt, await Changes(session, null, digest.LastSentAt, ct));
    }

    /// <summary>How many events of each type the transition (or the whole tenant) recorded since the instant, by the timeline's type names.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> Changes(IDocumentSession session, string? transitionId, DateTimeOffset? since, CancellationToken ct)
    {
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var streams = transitionId is null ? "" : " and (stream_id = $3 or stream_id like $4)";
        await using var command = new NpgsqlCommand(
            $"select type, count(*) from {StoreSchema.Name}.mt_events where tenant_id = $1 and timestamp > $2{streams} group by type", connection)
        {
            Parameters = { new() { Value = session.TenantId }, new() { Value = since ?? DateTimeOffset.MinValue } },
        };
        if (transitionId is not null)
        {
            command.Parameters.Add(new() { Value = transitionId });
            command.Parameters.Add(new() { Value = TransitionStreams.LikePattern(transitionId) });
        }
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0).Replace('_', '-')] = (int)reader.GetInt64(1);
        return counts;
    }
}

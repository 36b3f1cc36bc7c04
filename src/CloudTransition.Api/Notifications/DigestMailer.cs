using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CloudTransition.Api.Notifications;

/// <summary>`Smtp` settings: the relay digests are sent through.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string From { get; set; } = "cloudtransition@localhost";
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>None, StartTls, SslOnConnect or StartTlsWhenAvailable (the default).</summary>
    public SecureSocketOptions Tls { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;
}

/// <summary>Sends a message over SMTP with MailKit.</summary>
public sealed class DigestMailer(SmtpOptions options)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Host);

    public async Task Send(IEnumerable<string> to, string subject, string html, string text, CancellationToken ct)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(options.Host!, options.Port, options.Tls, ct);
        if (!string.IsNullOrEmpty(options.User)) await client.AuthenticateAsync(options.User, options.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}

using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.DataProtection;

namespace CloudTransition.Api.Webhooks;

/// <summary>A secret of a source, protected at rest; a rotated-out secret keeps working until ValidUntil.</summary>
public record SourceSecret(string Protected, DateTimeOffset CreatedAt, DateTimeOffset? ValidUntil)
{
    public static IEnumerable<SourceSecret> ValidAt(IEnumerable<SourceSecret> secrets, DateTimeOffset now) => secrets.Where(s => s.ValidUntil is null || s.ValidUntil > now);

    /// <summary>The secrets after a rotation: the new one, and those still valid, each ending within <see cref="SecretProtector.RotationGrace"/>.</summary>
    public static List<SourceSecret> Rotated(IEnumerable<SourceSecret> secrets, string protectedNew, DateTimeOffset now)
    {
        var graceEnds = now + SecretProtector.RotationGrace;
        return ValidAt(secrets, now).Select(s => s with { ValidUntil = s.ValidUntil is { } until && until < graceEnds ? until : graceEnds })
            .Append(new SourceSecret(protectedNew, now, null)).ToList();
    }
}

/// <summary>An automation source (a migration script, a monitoring tool) allowed to post signed webhooks for one tenant.</summary>
public class WebhookSource
{
    public string Id { get; set; } = "";
    public List<SourceSecret> Secrets { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset RotatedAt { get; set; }

    public IEnumerable<SourceSecret> ValidAt(DateTimeOffset now) => SourceSecret.ValidAt(Secrets, now);
}

/// <summary>Protects webhook secrets with ASP.NET Data Protection: stored encrypted, never returned after creation.</summary>
public class SecretProtector(IDataProtectionProvider provider)
{
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);
    private readonly IDataProtector _protector = provider.CreateProtector("CloudTransition.WebhookSecrets.v1");

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>The HMAC key: the base64 part of `whsec_...`, decoded (Standard Webhooks).</summary>
    public byte[] KeyOf(SourceSecret secret) => Convert.FromBase64String(_protector.Unprotect(secret.Protected)["whsec_".Length..]);
}

public static class WebhookDocuments
{
    public static void AddWebhookDocuments(this StoreOptions opts)
    {
        opts.Schema.For<WebhookSource>();
        opts.Schema.For<WebhookDelivery>();
    }
}

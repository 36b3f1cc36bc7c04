using System.Security.Cryptography;
using System.Text;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Security;

/// <summary>An API key as stored: only the SHA-256 of the key, never the key itself.</summary>
public class ApiKey
{
    public string Id { get; set; } = "";
    public string Hash { get; set; } = "";
    public string TenantId { get; set; } = "";
    public ApiRole Role { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static string NewSecret() => "ct_" + Base64Url(RandomNumberGenerator.GetBytes(32));
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    public static string NewId() => "key_" + Base64Url(RandomNumberGenerator.GetBytes(9));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A customer organisation: a Marten tenant.</summary>
public class Tenant
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public static class SecurityDocuments
{
    public const string DefaultTenant = "default";

    public static void AddSecurityDocuments(this StoreOptions opts)
    {
        // Keys and tenants are looked up before a tenant is known.
        opts.Schema.For<ApiKey>().SingleTenanted().UniqueIndex(k => k.Hash);
        opts.Schema.For<Tenant>().SingleTenanted();
    }
}

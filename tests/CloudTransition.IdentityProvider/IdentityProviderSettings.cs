using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CloudTransition.IdentityProvider;

/// <summary>What a provider instance serves. Every property has a default, so <c>new IdentityProviderSettings()</c> is enough.</summary>
public sealed record IdentityProviderSettings
{
    /// <summary>The port on loopback; 0 takes a free one. A fixed port can be reused by the next instance (key rotation).</summary>
    public int Port { get; init; }

    public IReadOnlyList<IdentityProviderUser> Users { get; init; } = IdentityProviderUser.Defaults;
    public IReadOnlyList<IdentityProviderClient> Clients { get; init; } = IdentityProviderClient.Defaults;

    /// <summary>The RSA key tokens are signed with (RS256); its <c>KeyId</c> is the <c>kid</c> published in the JWKS.</summary>
    public RsaSecurityKey SigningKey { get; init; } = NewSigningKey();

    /// <summary>The <c>aud</c> of every access token (Entra: the API's application ID URI).</summary>
    public string AccessTokenAudience { get; init; } = "api://cloudtransition";

    /// <summary>The Entra directory the users belong to, issued as <c>tid</c>.</summary>
    public string TenantId { get; init; } = "7f3c1a52-0d4b-4f8e-9a61-3b2c5d8e9f10";

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan IdTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The provider's clock (OpenIddict dates every token and checks codes with it). See also <see cref="ClockOffset"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Added to <see cref="TimeProvider"/>'s time; -3 h issues tokens dated 3 hours ago. Also settable on the running host.</summary>
    public TimeSpan ClockOffset { get; init; }

    public static RsaSecurityKey NewSigningKey() => new(RSA.Create(2048)) { KeyId = "idp-" + Guid.NewGuid().ToString("N")[..12] };
}

/// <summary>A person who can sign in. <c>sub</c> and <c>oid</c> are both <see cref="ObjectId"/>, as in Entra.</summary>
public sealed record IdentityProviderUser(
    string Username, string Password, string DisplayName, string PreferredUsername, Guid ObjectId, IReadOnlyList<string> Roles)
{
    /// <summary>Group object ids, issued as <c>groups</c> claims.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public const string AdminRole = "CloudTransition.Admin";
    public const string ViewerRole = "CloudTransition.Viewer";
    public const string OperatorsGroupId = "5b8e2f4a-6c1d-4e7b-9f30-a1d2c3b4e5f6";

    public static readonly IdentityProviderUser Alice = new("alice", "alice-pass", "Alice Admin", "alice@contoso.example",
        Guid.Parse("0a1b2c3d-1111-4a5b-8c9d-00000000a11c"), [AdminRole]);

    public static readonly IdentityProviderUser Bob = new("bob", "bob-pass", "Bob Viewer", "bob@contoso.example",
        Guid.Parse("0a1b2c3d-2222-4a5b-8c9d-000000000b0b"), [ViewerRole]);

    /// <summary>No app role: what she may do comes from her group only.</summary>
    public static readonly IdentityProviderUser Carol = new("carol", "carol-pass", "Carol Operator", "carol@contoso.example",
        Guid.Parse("0a1b2c3d-3333-4a5b-8c9d-000000000ca1"), []) { Groups = [OperatorsGroupId] };

    public static IReadOnlyList<IdentityProviderUser> Defaults { get; } = [Alice, Bob, Carol];
}

/// <summary>
/// A confidential client. Redirect and post-logout redirect URIs are accepted when they are on loopback (localhost, 127.0.0.1,
/// [::1]) at any port and path: the service under test listens on a port chosen at run time.
/// </summary>
public sealed record IdentityProviderClient(string ClientId, string ClientSecret, IReadOnlyList<string> GrantTypes)
{
    /// <summary>App roles given to the client itself, issued as <c>roles</c> in client-credentials tokens.</summary>
    public IReadOnlyList<string> AppRoles { get; init; } = [];

    /// <summary>The service principal's object id, issued as <c>oid</c> in client-credentials tokens.</summary>
    public Guid ObjectId { get; init; } = Guid.NewGuid();

    public const string AutomationRole = "CloudTransition.Automation";

    public static readonly IdentityProviderClient Web = new("cloudtransition-web", "web-secret",
        ["authorization_code", "refresh_token", "password"]) { ObjectId = Guid.Parse("0c0c0c0c-1111-4d4d-8e8e-00000000000e") };

    public static readonly IdentityProviderClient Automation = new("cloudtransition-automation", "automation-secret",
        ["client_credentials"]) { AppRoles = [AutomationRole], ObjectId = Guid.Parse("0c0c0c0c-2222-4d4d-8e8e-0000000000a7") };

    public static IReadOnlyList<IdentityProviderClient> Defaults { get; } = [Web, Automation];

    public static bool IsAllowedRedirectUri(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.IsLoopback && u.Fragment.Length == 0;
}

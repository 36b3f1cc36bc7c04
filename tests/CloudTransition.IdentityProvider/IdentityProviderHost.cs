using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CloudTransition.IdentityProvider;

/// <summary>
/// A running OpenID Connect provider on loopback that stands in for Microsoft Entra ID. Start one per test class (or per test),
/// point the service's authority at <see cref="Issuer"/>, and dispose it to stop it.
/// </summary>
public sealed class IdentityProviderHost : IAsyncDisposable
{
    // The idp_session cookie's keys: shared by every instance in the process (a browser's session survives a restart on the
    // same port) and kept in memory (nothing written to ~/.aspnet, where the default key ring would go).
    private static readonly InMemoryKeys SessionKeys = new();

    private readonly WebApplication _app;
    private readonly OffsetTimeProvider _clock;

    private IdentityProviderHost(WebApplication app, IdentityProviderSettings settings, string issuer, OffsetTimeProvider clock) =>
        (_app, Settings, Issuer, _clock) = (app, settings, issuer, clock);

    /// <summary>The base URL, <c>http://localhost:&lt;port&gt;/</c>: the authority, the discovery document's issuer and every token's <c>iss</c>.</summary>
    public string Issuer { get; }

    public int Port => new Uri(Issuer).Port;
    public string SigningKeyId => Settings.SigningKey.KeyId;
    public IdentityProviderSettings Settings { get; }

    /// <summary>Shifts the provider's clock from now on: -3 h issues tokens dated 3 hours ago (expired 2 hours ago with 1 h tokens).</summary>
    public TimeSpan ClockOffset { get => _clock.Offset; set => _clock.Offset = value; }

    public static Task<IdentityProviderHost> StartAsync(IdentityProviderSettings settings) => StartAsync(settings, LogLevel.Warning);

    internal static async Task<IdentityProviderHost> StartAsync(IdentityProviderSettings settings, LogLevel logLevel)
    {
        // Kestrel cannot bind localhost:0, so a free port is chosen first; the issuer must be known before OpenIddict is configured.
        var port = settings.Port != 0 ? settings.Port : FreePort();
        var issuer = $"http://localhost:{port}/";
        var clock = new OffsetTimeProvider(settings.TimeProvider) { Offset = settings.ClockOffset };

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(IdentityProviderHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear(); // nothing from the test's appsettings.json or environment (urls, logging...)
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // "keys not encrypted at rest"
        builder.Services.Configure<KeyManagementOptions>(o => o.XmlRepository = SessionKeys);
        builder.Services.AddIdentityProvider(settings, new Uri(issuer), clock);

        var app = builder.Build();
        app.MapIdentityProvider(settings);
        await app.StartAsync();
        return new IdentityProviderHost(app, settings, issuer, clock);
    }

    /// <summary>An access token for a user by the password grant (client <c>cloudtransition-web</c>), without a browser.</summary>
    public Task<string> PasswordTokenAsync(string username, string password, string scope = IdentityProviderTokens.DefaultUserScope) =>
        IdentityProviderTokens.PasswordAsync(Issuer, username, password, scope);

    /// <summary>An access token for an application by the client credentials grant.</summary>
    public Task<string> ClientCredentialsTokenAsync(string clientId, string secret) =>
        IdentityProviderTokens.ClientCredentialsAsync(Issuer, clientId, secret);

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class InMemoryKeys : IXmlRepository
    {
        private readonly List<XElement> _keys = [];
        public IReadOnlyCollection<XElement> GetAllElements() { lock (_keys) return [.. _keys]; }
        public void StoreElement(XElement element, string friendlyName) { lock (_keys) _keys.Add(element); }
    }

    private sealed class OffsetTimeProvider(TimeProvider inner) : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;
        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
        public override long TimestampFrequency => inner.TimestampFrequency;
        public override long GetTimestamp() => inner.GetTimestamp();
    }
}

/// <summary>Token requests to a provider's real token endpoint over HTTP (also usable against one started with <c>dotnet run</c>).</summary>
public static class IdentityProviderTokens
{
    public const string DefaultUserScope = "openid profile";
    public const string DefaultAppScope = "api://cloudtransition/.default";

    private static readonly HttpClient Http = new();

    public static async Task<string> PasswordAsync(string issuer, string username, string password, string scope = DefaultUserScope) =>
        AccessToken(await RequestAsync(issuer, new()
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = password, ["scope"] = scope,
            ["client_id"] = IdentityProviderClient.Web.ClientId, ["client_secret"] = IdentityProviderClient.Web.ClientSecret,
        }));

    public static async Task<string> ClientCredentialsAsync(string issuer, string clientId, string secret, string scope = DefaultAppScope) =>
        AccessToken(await RequestAsync(issuer, new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));

    /// <summary>Posts a token request and returns the JSON response (access_token, id_token, refresh_token...); throws if it failed.</summary>
    public static async Task<JsonElement> RequestAsync(string issuer, Dictionary<string, string> form)
    {
        using var response = await Http.PostAsync(new Uri(new Uri(issuer), "connect/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Token request failed ({(int)response.StatusCode}): {body}", null, response.StatusCode);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string AccessToken(JsonElement response) => response.GetProperty("access_token").GetString()!;
}

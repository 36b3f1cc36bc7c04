using CloudTransition.IdentityProvider;
using Microsoft.Playwright;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// A real API process with ABC Ltd's migration recorded, an OpenID Connect provider (OpenIddict on loopback) ABC Ltd and a second
/// customer of the same partner accept, and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private TestDatabase _database = null!;
    private ApiProcess _process = null!;
    private IPlaywright _playwright = null!;
    public LiveApi Api { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl => _process.BaseUrl;
    public string ViewerKey { get; private set; } = "";
    public string ContributorKey { get; private set; } = "";
    public string TenantAdminKey { get; private set; } = "";
    public RealisticMigration Migration { get; private set; } = null!;
    public IdentityProviderHost IdentityProvider { get; private set; } = null!;
    public string Tenant { get; private set; } = "";
    /// <summary>Another customer whose admin registered the same provider: a partner's person may work for both.</summary>
    public string OtherTenant { get; private set; } = "";
    public static string Screenshots => Path.Combine(TestDatabase.RepositoryRoot(), ".data/screenshots");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create();
        var adminKey = "ct_browser_admin_" + Guid.NewGuid().ToString("N");
        IdentityProvider = await IdentityProviderHost.StartAsync(new IdentityProviderSettings());
        _process = await ApiProcess.Start(_database.ConnectionString, adminKey, environment: new Dictionary<string, string> { ["SignIn__AllowHttp"] = "true", ["SignIn__AllowPrivateNetworks"] = "true" });
        Api = new LiveApi(_process.BaseUrl, adminKey);

        var tenant = Tenant = "abc-" + Guid.NewGuid().ToString("N")[..8];
        await Api.Post("/api/tenants", new { id = tenant, name = "ABC Ltd" });
        OtherTenant = "def-" + Guid.NewGuid().ToString("N")[..8];
        await Api.Post("/api/tenants", new { id = OtherTenant, name = "DEF plc" });
        foreach (var accepting in new[] { tenant, OtherTenant })
        {
            var registered = await Api.Post($"/api/tenants/{accepting}/identity-providers", new
            {
                authority = IdentityProvider.Issuer, clientId = IdentityProviderClient.Web.ClientId, clientSecret = IdentityProviderClient.Web.ClientSecret,
                audience = "api://cloudtransition", roles = new Dictionary<string, string> { [IdentityProviderUser.AdminRole] = "admin", [IdentityProviderUser.ViewerRole] = "viewer" },
            });
            if (registered.Status != 201) throw new InvalidOperationException(registered.ToString());
        }
        var contributor = ContributorKey = await Api.KeyFor(tenant, "contributor");
        ViewerKey = await Api.KeyFor(tenant, "viewer");
        TenantAdminKey = await Api.KeyFor(tenant, "admin");
        Migration = await new RealisticMigration(Api, contributor).Record();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Api.Dispose();
        await _process.DisposeAsync();
        await IdentityProvider.DisposeAsync();
        await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

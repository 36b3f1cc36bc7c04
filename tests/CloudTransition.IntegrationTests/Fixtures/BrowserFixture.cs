using Microsoft.Playwright;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>A real API process with ABC Ltd's migration recorded, and Debian's Chromium driven by Playwright (never a downloaded browser).</summary>
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
    public static string Screenshots => Path.Combine(TestDatabase.RepositoryRoot(), ".data/screenshots");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create();
        var adminKey = "ct_browser_admin_" + Guid.NewGuid().ToString("N");
        _process = await ApiProcess.Start(_database.ConnectionString, adminKey);
        Api = new LiveApi(_process.BaseUrl, adminKey);

        var tenant = "abc-" + Guid.NewGuid().ToString("N")[..8];
        await Api.Post("/api/tenants", new { id = tenant, name = "ABC Ltd" });
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
        await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

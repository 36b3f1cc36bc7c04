using System.Text.Json;
using CloudTransition.IdentityProvider;
using CloudTransition.IntegrationTests.Fixtures;
using Microsoft.Playwright;

namespace CloudTransition.IntegrationTests.Dashboard;

/// <summary>
/// Signing in to the page through a real OpenID Connect provider (OpenIddict on loopback) in Chromium: the code flow with PKCE,
/// a session cookie the page never sees, roles from the provider's app roles, switching customer, CSRF on changes, sign-out.
/// </summary>
[Collection(BrowserCollection.Name)]
public class SignInPageTests(BrowserFixture fixture) : IAsyncLifetime
{
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private async Task SignIn(string tenant, string username, string password)
    {
        await _page.GotoAsync(fixture.BaseUrl + "/");
        await _page.GetByLabel("Organisation (tenant id)").FillAsync(tenant);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await _page.WaitForURLAsync(url => url.StartsWith(fixture.IdentityProvider.Issuer)); // the provider's own login form
        await _page.Locator("input[name=username]").FillAsync(username);
        await _page.Locator("input[name=password]").FillAsync(password);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await _page.WaitForURLAsync(url => url.StartsWith(fixture.BaseUrl));
    }

    /// <summary>A request from the page itself (its origin, its cookies), as script on it would make one.</summary>
    private async Task<(int Status, string Body)> FromPage(string method, string path, object? body = null, bool withCsrf = false)
    {
        var result = await _page.EvaluateAsync<JsonElement>("""
            async ([method, path, body, withCsrf]) => {
              const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
              if (withCsrf) headers['X-CSRF-Token'] = (await (await fetch('/api/me')).json()).csrfToken;
              const response = await fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
              return { status: response.status, body: await response.text() };
            }
            """, new object?[] { method, path, body, withCsrf });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString()!);
    }

    [Fact]
    public async Task an_admin_signs_in_sees_the_portfolio_switches_customer_and_signs_out()
    {
        await SignIn(fixture.Tenant, "alice", "alice-pass");
        await Assertions.Expect(_page.Locator("#portfolio-table tbody tr", new() { HasText = "ABC Ltd" })).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#who")).ToContainTextAsync("Alice Admin (alice@contoso.example)");
        await Assertions.Expect(_page.Locator("#notifications")).ToBeVisibleAsync(); // an admin's panel
        Assert.Equal(0, await _page.EvaluateAsync<int>("sessionStorage.length")); // no token, no key in the page
        var session = (await _context.CookiesAsync()).Single(c => c.Name == "ct_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "signed-in-1280.png") });

        await _page.Locator("#tenant-picker").SelectOptionAsync(fixture.OtherTenant);
        await Assertions.Expect(_page.Locator("#who")).ToContainTextAsync(fixture.OtherTenant);
        await Assertions.Expect(_page.Locator("#portfolio-empty")).ToBeVisibleAsync(); // DEF plc has recorded nothing

        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await _page.WaitForURLAsync(url => url.StartsWith(fixture.BaseUrl) && !url.Contains("signout"));
        await Assertions.Expect(_page.GetByLabel("Organisation (tenant id)")).ToBeVisibleAsync();
        Assert.Equal(401, (await FromPage("GET", "/api/me")).Status);
        await _page.GotoAsync(fixture.BaseUrl + "/auth/signin?tenant=" + fixture.Tenant);
        await Assertions.Expect(_page.Locator("input[name=username]")).ToBeVisibleAsync(); // the provider's session ended too
    }

    [Fact]
    public async Task a_viewer_cannot_reach_admin_pages_and_changes_need_the_csrf_token()
    {
        await SignIn(fixture.Tenant, "bob", "bob-pass");
        await Assertions.Expect(_page.Locator("#portfolio-table tbody tr", new() { HasText = "ABC Ltd" })).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#notifications")).ToBeHiddenAsync();
        Assert.Equal(403, (await FromPage("GET", "/api/subscriptions")).Status);
        Assert.Equal(403, (await FromPage("GET", $"/api/tenants/{fixture.Tenant}/identity-providers")).Status);
        Assert.Equal(403, (await FromPage("POST", "/api/transitions", new { organisation = "X", domains = new[] { "x.com" } }, withCsrf: true)).Status);

        await _context.ClearCookiesAsync();
        await SignIn(fixture.Tenant, "alice", "alice-pass");
        var forged = await FromPage("POST", "/api/transitions", new { organisation = "Forged", domains = new[] { "x.com" } });
        Assert.Equal(403, forged.Status);
        Assert.Contains("X-CSRF-Token", forged.Body);
        var made = await FromPage("POST", "/api/transitions", new { organisation = "Signed-in Ltd", domains = new[] { "signed.com" } }, withCsrf: true);
        Assert.Equal(201, made.Status);
        var id = JsonDocument.Parse(made.Body).RootElement.GetProperty("id").GetString();
        var timeline = await fixture.Api.Get($"/api/transitions/{id}/timeline", fixture.ViewerKey);
        Assert.Equal(IdentityProviderUser.Alice.ObjectId.ToString(), timeline.Json["items"]![0]!["actor"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_person_the_tenant_gives_no_role_is_told_so()
    {
        await SignIn(fixture.Tenant, "carol", "carol-pass"); // only a group, which this tenant does not map
        await Assertions.Expect(_page.Locator("#message")).ToContainTextAsync("no role");
        await Assertions.Expect(_page.GetByLabel("Organisation (tenant id)")).ToBeVisibleAsync();
        Assert.Equal(401, (await FromPage("GET", "/api/me")).Status);
    }
}

using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;
using Microsoft.Playwright;

namespace CloudTransition.IntegrationTests.Dashboard;

/// <summary>The project managers' page in Debian's Chromium, against a real API process, checked against the API's own numbers.</summary>
[Collection(BrowserCollection.Name)]
public class DashboardPageTests(BrowserFixture fixture) : IAsyncLifetime
{
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        await ViewsCaughtUp();
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _page = await _context.NewPageAsync();
        _page.Console += (_, message) => { if (message.Type == "error") _consoleErrors.Add(message.Text); };
        _page.PageError += (_, error) => _consoleErrors.Add(error);
        _page.Response += (_, response) => { if (response.Status >= 400) _consoleErrors.Add($"{response.Status} {response.Url}"); };
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private string Id => fixture.Migration.Id;

    private async Task<JsonNode> Api(string path) => (await fixture.Api.Get(path, fixture.ViewerKey)).Json;

    /// <summary>The async view has caught up when the live dashboard equals one folded from every event so far.</summary>
    private async Task ViewsCaughtUp()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var live = await Api($"/api/transitions/{Id}/dashboard");
            var folded = await Api($"/api/transitions/{Id}/dashboard?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
            if (live["progress"]!.ToJsonString() == folded["progress"]!.ToJsonString()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The views did not catch up within 30 s");
    }

    private async Task SignIn(string key)
    {
        await _page.GotoAsync(fixture.BaseUrl + "/");
        await _page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();
    }

    [Fact]
    public async Task the_portfolio_and_the_transition_show_the_apis_numbers()
    {
        await SignIn(fixture.ViewerKey);
        var row = _page.Locator("#portfolio-table tbody tr", new() { HasText = "ABC Ltd" });
        await Assertions.Expect(row).ToBeVisibleAsync();
        var portfolio = (await Api("/api/portfolio"))["transitions"]![0]!;
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal("migration", cells[1]);
        Assert.Equal($"{portfolio["percentDone"]!.GetValue<decimal>():0.0}%", cells[2]);
        Assert.Equal(portfolio["remainingDependencies"]!.GetValue<int>().ToString(), cells[3]);
        Assert.Equal(portfolio["openSupportCases"]!.GetValue<int>().ToString(), cells[4]);
        Assert.DoesNotContain(fixture.ViewerKey, _page.Url);
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "portfolio-1280.png"), FullPage = true });

        await row.ClickAsync();
        await Assertions.Expect(_page.Locator("#transition-title")).ToHaveTextAsync("ABC Ltd");
        var dashboard = await Api($"/api/transitions/{Id}/dashboard");
        foreach (var progress in dashboard["progress"]!.AsArray())
        {
            var category = progress!["category"]!.GetValue<string>();
            var expected = progress["total"]!.GetValue<int>() == 0 ? "none recorded yet"
                : $"{progress["done"]} / {progress["total"]} · {progress["percent"]!.GetValue<decimal>():0.0}%";
            await Assertions.Expect(_page.Locator($".progress-figures[data-category='{category}']")).ToHaveTextAsync(expected);
        }
        await Assertions.Expect(_page.Locator("#risks li.endpoint-pending-restart .item")).ToHaveTextAsync("exch03");
        await Assertions.Expect(_page.Locator("#verdict")).ToContainTextAsync("cannot be decommissioned");
        await Assertions.Expect(_page.Locator("#dependencies .dep-group[data-category='mailboxes'] tbody tr")).ToHaveCountAsync(88);
        await Assertions.Expect(_page.Locator("#roles-table tbody tr")).ToHaveCountAsync(8);
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "transition-1280.png"), FullPage = true });
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "transition-1280-top.png") });

        await _page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(_page.Locator("#transition-title")).ToBeVisibleAsync();
        // Chart.js resizes its canvases on animation frames after the viewport changes, so the layout is given up to
        // 15 s to settle; measured at once, the 1,280 px charts were occasionally still there, and with the whole suite
        // loading both cores 5 s was once not enough (a flaky failure).
        var fits = "document.documentElement.scrollWidth <= window.innerWidth + 1";
        try { await _page.WaitForFunctionAsync(fits, null, new() { Timeout = 15000 }); }
        catch (Microsoft.Playwright.PlaywrightException) { Assert.Fail($"the page scrolls sideways at 390 px: {await WiderThanTheWindow()}"); }
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "transition-390.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    /// <summary>The elements that reach past the window's right edge (it failed once under the whole suite's load; this names the culprit).</summary>
    private async Task<string> WiderThanTheWindow() => await _page.EvaluateAsync<string>(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
        ".slice(0, 8).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : ''} " +
        "(${Math.round(e.getBoundingClientRect().right)} px)`).join(', ') || 'none now'");

    [Fact]
    public async Task the_dependency_list_filters_and_the_portfolio_sorts()
    {
        await SignIn(fixture.ViewerKey);
        await _page.Locator("#portfolio-table tbody tr").First.ClickAsync();
        await _page.GetByLabel("Filter", new() { Exact = true }).FillAsync("Legacy fax");
        await Assertions.Expect(_page.Locator("#dependencies tbody tr")).ToHaveCountAsync(1);
        await _page.GetByLabel("Filter", new() { Exact = true }).FillAsync("");
        await _page.GetByLabel("Category", new() { Exact = true }).SelectOptionAsync("components");
        await Assertions.Expect(_page.Locator("#dependencies tbody tr")).ToHaveCountAsync(10);

        await _page.GotoAsync(fixture.BaseUrl + "/#/");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Remaining" }).ClickAsync();
        await Assertions.Expect(_page.Locator("th[aria-sort='ascending']")).ToHaveTextAsync("Remaining");
    }

    [Fact]
    public async Task the_waves_table_shows_plan_against_actual_and_the_wave_filter_narrows_the_dependency_list()
    {
        await SignIn(fixture.ViewerKey);
        await _page.Locator("#portfolio-table tbody tr", new() { HasText = "ABC Ltd" }).ClickAsync();
        var dashboard = await Api($"/api/transitions/{Id}/dashboard");
        var waves = dashboard["waves"]!.AsArray();
        var rows = _page.Locator("#waves-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(waves.Count);
        foreach (var wave in waves)
        {
            var row = _page.Locator($"#waves-table tbody tr[data-wave='{wave!["waveId"]}']");
            await Assertions.Expect(row.Locator("th")).ToHaveTextAsync(wave["name"]!.GetValue<string>());
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync($"{wave["mailboxes"]!["completed"]} / {wave["mailboxes"]!["total"]}");
            await Assertions.Expect(row.Locator("[role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", wave["percentDone"]!.GetValue<decimal>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var third = _page.Locator("#waves-table tbody tr", new() { HasText = "Wave 3" });
        await Assertions.Expect(third.Locator(".badge.late")).ToHaveTextAsync("Late");
        await Assertions.Expect(third.Locator(".badge.stalled")).ToHaveTextAsync("1 stalled");
        await Assertions.Expect(_page.Locator("#waves-table tbody tr", new() { HasText = "Wave 2" }).Locator(".badge.slipped")).ToContainTextAsync("+3 days");

        // The planned line's numbers are beside the remaining ones.
        var last = dashboard["burnDown"]!.AsArray()[^1]!;
        var cells = await _page.Locator("#burndown-table tbody tr").Last.Locator("td").AllTextContentsAsync();
        Assert.Equal([last["date"]!.GetValue<string>(), last["remaining"]!.GetValue<int>().ToString(), last["planned"]!.GetValue<decimal>().ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture),
            last["scope"]!.GetValue<int>().ToString()], cells);

        var dependencies = await Api($"/api/transitions/{Id}/dependencies");
        var inThird = dependencies["items"]!.AsArray().Count(i => i!["wave"]?.GetValue<string>() == "Wave 3 — Everyone else");
        Assert.True(inThird > 0);
        await _page.GetByLabel("Wave", new() { Exact = true }).SelectOptionAsync("Wave 3 — Everyone else");
        await Assertions.Expect(_page.Locator("#dependencies tbody tr")).ToHaveCountAsync(inThird);
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "waves-1280.png"), FullPage = true });
        Assert.True(_consoleErrors.Count == 0, string.Join("\n", _consoleErrors));
    }

    [Fact]
    public async Task unknown_senders_are_listed_and_one_is_registered_from_the_page()
    {
        var started = await fixture.Api.Post("/api/transitions", new { organisation = "Relay Ltd", domains = new[] { "abc.com" } }, fixture.ContributorKey);
        var id = started.Json["id"]!.GetValue<string>();
        var at = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        var log = ExchangeLogs.ReceiveHeader
            + ExchangeLogs.Session(at, "10.0.1.50", "mfp-2ndfloor.abc.local", 25, false, "scanner@abc.com", ["ann@abc.com"])
            + ExchangeLogs.Session(at.AddHours(1), "10.0.2.20", "erp01", 587, true, "erp@abc.com", ["orders@customer.example"]);
        var found = await fixture.Api.Send("POST", $"/api/transitions/{id}/relay-discovery", System.Text.Encoding.UTF8.GetBytes(log), fixture.ContributorKey, "text/plain");
        Assert.True(found.Status == 201, found.ToString());

        await SignIn(fixture.ContributorKey);
        await _page.GotoAsync($"{fixture.BaseUrl}/#/t/{Uri.EscapeDataString(id)}");
        var rows = _page.Locator("#senders-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var scanner = _page.Locator("#senders-table tbody tr[data-ip='10.0.1.50']");
        await Assertions.Expect(scanner.Locator("td").First).ToHaveTextAsync("mfp-2ndfloor.abc.local");
        await Assertions.Expect(scanner.Locator("td").Nth(4)).ToHaveTextAsync("direct send");
        await scanner.GetByRole(AriaRole.Button, new() { Name = "Register 10.0.1.50 as a device" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#message")).ToContainTextAsync("Registered mfp-2ndfloor.abc.local");
        var devices = (await fixture.Api.Get($"/api/transitions/{id}/devices", fixture.ContributorKey)).Json.AsArray();
        Assert.Equal("10.0.1.50", devices.Single()!["device"]!["ipAddress"]!.GetValue<string>());
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "relay-1280.png"), FullPage = true });

        // The report and the exports download with the key the page holds.
        var report = await _page.RunAndWaitForDownloadAsync(() => _page.GetByRole(AriaRole.Button, new() { Name = "Status report (PDF)" }).ClickAsync());
        Assert.Equal($"Relay Ltd status report {DateTime.UtcNow:yyyy-MM-dd}.pdf", report.SuggestedFilename);
        var saved = Path.Combine(BrowserFixture.Screenshots, "downloaded-report.pdf");
        await report.SaveAsAsync(saved);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(saved))[..4]));
        var csv = await _page.RunAndWaitForDownloadAsync(() => _page.GetByRole(AriaRole.Button, new() { Name = "Dependencies (CSV)" }).ClickAsync());
        Assert.EndsWith(".csv", csv.SuggestedFilename);
        Assert.True(_consoleErrors.Count == 0, string.Join("\n", _consoleErrors));
    }

    [Fact]
    public async Task a_dependency_list_longer_than_a_page_loads_its_next_page_on_request()
    {
        var started = await fixture.Api.Post("/api/transitions", new { organisation = "Paged Ltd", domains = new[] { "abc.com" } }, fixture.ContributorKey);
        var id = started.Json["id"]!.GetValue<string>();
        var inventoried = await fixture.Api.Post($"/api/transitions/{id}/mailboxes",
            Enumerable.Range(0, 620).Select(i => new { address = $"user{i:D3}@abc.com", kind = "user-mailbox" }).ToArray(), fixture.ContributorKey);
        Assert.Equal(201, inventoried.Status);
        for (var attempt = 0; attempt < 300 && (await fixture.Api.Get($"/api/transitions/{id}/dependencies?limit=1", fixture.ContributorKey)).Json["total"]!.GetValue<int>() < 620; attempt++)
            await Task.Delay(100);

        await SignIn(fixture.ContributorKey);
        await _page.GotoAsync($"{fixture.BaseUrl}/#/t/{Uri.EscapeDataString(id)}");
        var rows = _page.Locator("#dependencies .dep-group[data-category='mailboxes'] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(500);
        await Assertions.Expect(_page.Locator("#deps-shown")).ToHaveTextAsync("Showing 500 of 620; filters apply to those shown.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Show more" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(620);
        await Assertions.Expect(_page.GetByRole(AriaRole.Button, new() { Name = "Show more" })).ToBeHiddenAsync();
        Assert.True(_consoleErrors.Count == 0, string.Join("\n", _consoleErrors));
    }

    [Fact]
    public async Task the_as_of_control_shows_earlier_numbers_and_marks_the_past()
    {
        await SignIn(fixture.ViewerKey);
        await _page.Locator("#portfolio-table tbody tr").First.ClickAsync();
        await Assertions.Expect(_page.Locator("#transition-title")).ToHaveTextAsync("ABC Ltd");

        await _page.GetByLabel("As of", new() { Exact = true }).FillAsync("2026-10-05");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var then = await Api($"/api/transitions/{Id}/dashboard?asOf={Uri.EscapeDataString("2026-10-05T23:59:59.999Z")}");
        var mailboxes = then["progress"]!.AsArray().Single(p => p!["category"]!.GetValue<string>() == "mailboxes")!;
        await Assertions.Expect(_page.Locator(".progress-figures[data-category='mailboxes']"))
            .ToHaveTextAsync($"{mailboxes["done"]} / {mailboxes["total"]} · {mailboxes["percent"]!.GetValue<decimal>():0.0}%");
        await Assertions.Expect(_page.Locator("#past")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#past")).ToContainTextAsync("2026-10-05");
        Assert.NotEqual(212, mailboxes["done"]!.GetValue<int>());

        await _page.GetByRole(AriaRole.Button, new() { Name = "Now" }).ClickAsync();
        await Assertions.Expect(_page.Locator("#past")).ToBeHiddenAsync();
        await Assertions.Expect(_page.Locator(".progress-figures[data-category='mailboxes']")).ToContainTextAsync("212 / 300");
    }

    [Fact]
    public async Task an_admin_sees_the_subscriptions_and_their_last_deliveries_and_a_viewer_does_not()
    {
        // 203.0.113.0/24 is documentation space: public, so allowed, and nothing answers there — the ping keeps failing.
        var created = await fixture.Api.Post("/api/subscriptions", new { name = "PM channel", url = "https://203.0.113.10/hook", format = "teams", events = new[] { "*" } },
            fixture.TenantAdminKey);
        Assert.True(created.Status == 201, created.ToString());
        var id = created.Json["subscriptionId"]!.GetValue<string>();
        await fixture.Api.Post($"/api/subscriptions/{id}/test", new { }, fixture.TenantAdminKey);

        await SignIn(fixture.TenantAdminKey);
        var row = _page.Locator("#subscriptions-table tbody tr", new() { HasText = "PM channel" });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("https://203.0.113.10");
        await Assertions.Expect(row).ToContainTextAsync("ping: pending");
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "notifications-1280.png"), FullPage = true });

        await _context.ClearCookiesAsync();
        await _page.EvaluateAsync("sessionStorage.clear()");
        await SignIn(fixture.ViewerKey);
        await Assertions.Expect(_page.Locator("#portfolio-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#notifications")).ToBeHiddenAsync();
        Assert.Empty(_consoleErrors);
        await fixture.Api.Delete($"/api/subscriptions/{id}", fixture.TenantAdminKey);
    }

    [Fact]
    public async Task a_refused_key_says_so_and_asks_again()
    {
        await SignIn("ct_not_a_key");
        await Assertions.Expect(_page.Locator("#message")).ToContainTextAsync("refused");
        await Assertions.Expect(_page.GetByLabel("API key", new() { Exact = true })).ToBeVisibleAsync();
        await _page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "key-refused-390.png") });
    }

    [Fact]
    public async Task the_page_is_served_with_a_strict_content_security_policy()
    {
        var response = await _page.GotoAsync(fixture.BaseUrl + "/dashboard");
        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
        Assert.Equal(0, await _page.Locator("script:not([src])").CountAsync());
    }
}

using System.Diagnostics;
using Alba;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Reports;

[Collection(ApiCollection.Name)]
public class ReportTests(ApiFixture api)
{
    private async Task<(int Status, byte[] Bytes, IDictionary<string, string> Headers)> Pdf(string url, string accept = "application/pdf", string? key = null)
    {
        var result = await api.Host.Scenario(x =>
        {
            x.Get.Url(url);
            x.ConfigureHttpContext(c =>
            {
                c.Request.Headers.Authorization = $"Bearer {key ?? api.AdminKey}";
                c.Request.Headers.Accept = accept;
            });
            x.IgnoreStatusCode();
        });
        var bytes = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(bytes);
        var headers = result.Context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString());
        await Contract.ContractConformance.Check("GET", url, new Reply(result.Context.Response.StatusCode, "", headers));
        return (result.Context.Response.StatusCode, bytes.ToArray(), headers);
    }

    private static (int Pages, string Text) Read(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return (document.NumberOfPages, string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)));
    }

    [Fact]
    public async Task the_status_report_names_the_organisation_the_dependency_total_and_the_waves_and_is_saved_to_look_at()
    {
        var key = await api.TenantWithKey("admin");
        var started = await api.Post("/api/transitions", new { organisation = "Northwind Traders", domains = new[] { "abc.com" }, occurredAt = "2026-10-01T08:00:00Z" }, key);
        var id = started.Json["id"]!.GetValue<string>();
        await api.Post($"/api/transitions/{id}/mailboxes", Enumerable.Range(0, 40).Select(i => new { address = $"user{i:D2}@abc.com", kind = "user-mailbox", occurredAt = "2026-10-02T08:00:00Z" }).ToArray(), key);
        await api.Post($"/api/transitions/{id}/waves", new { name = "Finance wave", plannedStart = "2026-10-05T00:00:00Z", plannedCompletion = "2026-10-20T00:00:00Z", occurredAt = "2026-10-02T09:00:00Z" }, key);
        await api.Post($"/api/transitions/{id}/waves", new { name = "Everyone else", plannedStart = "2026-10-21T00:00:00Z", plannedCompletion = "2026-11-30T00:00:00Z", occurredAt = "2026-10-02T09:00:00Z" }, key);
        for (var i = 0; i < 15; i++)
            await api.Post($"/api/transitions/{id}/mailboxes/user{i:D2}@abc.com/move", new { status = "completed", batch = i < 10 ? "Finance wave" : "Everyone else", occurredAt = $"2026-10-{6 + i:D2}T10:00:00Z" }, key);
        await api.Post($"/api/transitions/{id}/devices", new { name = "2nd floor MFP", kind = "printer", canChangePort = false, supportsSmtpAuth = false, sendsExternal = true, currentTarget = "exch01:25" }, key);
        await api.Post($"/api/transitions/{id}/support-cases", new { title = "Free/busy fails for hybrid users", vendor = "Microsoft", channel = "direct", severity = "b", occurredAt = "2026-11-02T09:00:00Z" }, key);
        await api.ViewsCaughtUp();

        var (status, bytes, headers) = await Pdf($"/api/transitions/{id}/report", key: key);
        Assert.True(status == 200, $"{status}");
        Assert.Equal("application/pdf", headers["Content-Type"]);
        Assert.Contains("Northwind Traders status report", headers["Content-Disposition"]);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes[..4]));
        var (pages, text) = Read(bytes);
        Assert.InRange(pages, 2, 4);
        var total = (await api.Get($"/api/transitions/{id}/dependencies", key)).Json["total"]!.GetValue<int>();
        Assert.Contains("Northwind Traders", text);
        Assert.Contains($"{total} dependencies remain", text);
        Assert.Contains("Finance wave", text);
        Assert.Contains("Everyone else", text);
        Assert.Contains("2nd floor MFP", text);
        Assert.Contains("Free/busy fails for hybrid users", text);

        var folder = Path.Combine(TestDatabase.RepositoryRoot(), ".data/screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "status-report.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        if (File.Exists("/usr/bin/pdftoppm")) // Debian's poppler-utils, where installed: a page to look at
            Process.Start("/usr/bin/pdftoppm", ["-r", "60", "-png", file, Path.Combine(folder, "status-report")])!.WaitForExit();

        var past = Read((await Pdf($"/api/transitions/{id}/report?asOf={Uri.EscapeDataString("2026-10-03T00:00:00Z")}", key: key)).Bytes).Text;
        Assert.Contains("40 dependencies remain", past);
        Assert.Equal(406, (await Pdf($"/api/transitions/{id}/report", "application/json", key)).Status);
        Assert.Equal(404, (await Pdf("/api/transitions/nope/report", key: key)).Status);

        var portfolio = await Pdf("/api/portfolio/report", key: key);
        Assert.Equal(200, portfolio.Status);
        Assert.Contains("Northwind Traders", Read(portfolio.Bytes).Text);
    }
}

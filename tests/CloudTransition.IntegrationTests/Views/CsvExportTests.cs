using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using CloudTransition.IntegrationTests.Fixtures;
using CsvHelper;

namespace CloudTransition.IntegrationTests.Views;

[Collection(ApiCollection.Name)]
public class CsvExportTests(ApiFixture api)
{
    private const string Awkward = "Printer, \"2nd\" floor\nwest wing";

    /// <summary>The raw bytes of an answer (the test client's text reader would drop a byte order mark), its headers, and the contract check.</summary>
    private async Task<(int Status, byte[] Bytes, IDictionary<string, string> Headers)> Raw(string url, string? accept = null)
    {
        var result = await api.Host.Scenario(x =>
        {
            x.Get.Url(url);
            x.ConfigureHttpContext(c =>
            {
                c.Request.Headers.Authorization = $"Bearer {api.AdminKey}";
                if (accept is not null) c.Request.Headers.Accept = accept;
            });
            x.IgnoreStatusCode();
        });
        var bytes = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(bytes);
        var headers = result.Context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString());
        await Contract.ContractConformance.Check("GET", url, new Reply(result.Context.Response.StatusCode, Encoding.UTF8.GetString(bytes.ToArray()), headers));
        return (result.Context.Response.StatusCode, bytes.ToArray(), headers);
    }

    private static List<Dictionary<string, string>> Rows(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).ToDictionary(p => p.Key, p => (string)p.Value)).ToList();
    }

    private async Task<string> Transition()
    {
        var started = await api.Post("/api/transitions", new { organisation = "Fabrikam, Inc.", domains = new[] { "abc.com" } });
        var id = started.Json["id"]!.GetValue<string>();
        await api.Post($"/api/transitions/{id}/mailboxes", Enumerable.Range(0, 25).Select(i => new { address = $"u{i:D2}@abc.com", kind = "user-mailbox" }).ToArray());
        var device = await api.Post($"/api/transitions/{id}/devices",
            new { name = Awkward, kind = "printer", canChangePort = false, supportsSmtpAuth = false, sendsExternal = false, currentTarget = "exch01:25" });
        Assert.True(device.Status == 201, device.ToString());
        await api.Post($"/api/transitions/{id}/mailboxes/u03@abc.com/move", new { status = "completed" });
        await api.Post($"/api/transitions/{id}/waves", new { name = "Wave 1", plannedStart = "2026-11-01T00:00:00Z", plannedCompletion = "2026-11-20T00:00:00Z" });
        await api.ViewsCaughtUp();
        return id;
    }

    [Fact]
    public async Task the_dependency_list_as_csv_has_a_bom_a_header_and_the_json_items_with_a_name_that_needs_quoting_round_tripping()
    {
        var id = await Transition();
        var json = (await api.Get($"/api/transitions/{id}/dependencies")).Json["items"]!.AsArray();
        var (status, bytes, headers) = await Raw($"/api/transitions/{id}/dependencies", "text/csv");
        Assert.Equal(200, status);
        Assert.StartsWith("text/csv", headers["Content-Type"]);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains($"Fabrikam- Inc. dependencies {DateTime.UtcNow:yyyy-MM-dd}.csv", headers["Content-Disposition"]);
        Assert.StartsWith("category,name,reason,unblockedBy,keepsExchange,wave\r\n", Encoding.UTF8.GetString(bytes[3..]));
        var rows = Rows(bytes);
        Assert.Equal(json.Count, rows.Count);
        foreach (var (row, item) in rows.Zip(json))
        {
            Assert.Equal(item!["category"]!.GetValue<string>(), row["category"]);
            Assert.Equal(item["name"]!.GetValue<string>(), row["name"]);
            Assert.Equal(item["reason"]!.GetValue<string>(), row["reason"]);
            Assert.Equal(item["keepsExchange"]!.GetValue<bool>() ? "true" : "false", row["keepsExchange"]);
        }
        Assert.Contains(rows, r => r["name"] == Awkward);

        var (linkStatus, linkBytes, _) = await Raw($"/api/transitions/{id}/dependencies?format=csv");
        Assert.Equal((200, bytes.Length), (linkStatus, linkBytes.Length));
        (await api.Get($"/api/transitions/{id}/dependencies?format=xml")).ShouldBeProblem(400, "format");
        Assert.Equal(406, (await Raw($"/api/transitions/{id}/dashboard", "text/csv")).Status);
    }

    [Fact]
    public async Task every_list_answers_csv_with_one_row_per_item_of_its_json()
    {
        var id = await Transition();
        var asOf = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        var lists = new (string Url, Func<JsonNode, int> Count, string Column)[]
        {
            ($"/api/transitions/{id}/mailboxes?status=not-started", j => j["items"]!.AsArray().Count, "address"),
            ($"/api/transitions/{id}/devices", j => j.AsArray().Count, "name"),
            ($"/api/transitions/{id}/waves?asOf={asOf}", j => j.AsArray().Count, "state"),
            ($"/api/transitions/{id}/timeline?limit=1000", j => j["items"]!.AsArray().Count, "type"),
            ($"/api/transitions/{id}/relay-senders", j => j.AsArray().Count, "remoteIp"),
            ("/api/portfolio", j => j["transitions"]!.AsArray().Count, "organisation"),
        };
        foreach (var (url, count, column) in lists)
        {
            var json = (await api.Get(url)).Json;
            var (status, bytes, _) = await Raw(url, "text/csv");
            Assert.True(status == 200, $"{url}: {status}");
            var rows = Rows(bytes);
            Assert.True(count(json) == rows.Count, $"{url}: {count(json)} JSON items, {rows.Count} CSV rows");
            if (rows.Count > 0) Assert.True(rows[0].ContainsKey(column), $"{url}: no {column} column");
        }
        var mailboxes = Rows((await Raw($"/api/transitions/{id}/mailboxes?format=csv")).Bytes);
        Assert.Equal(("u03@abc.com", "completed"), (mailboxes[3]["address"], mailboxes[3]["status"]));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", mailboxes[0]["inventoriedAt"]);
        var devices = Rows((await Raw($"/api/transitions/{id}/devices?format=csv")).Bytes);
        Assert.Equal((Awkward, "direct-send"), (devices[0]["name"], devices[0]["recommended"]));
    }
}

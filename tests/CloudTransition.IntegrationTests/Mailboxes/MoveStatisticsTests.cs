using System.Text;
using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Mailboxes;

/// <summary>Exchange Online's own statistics, as Windows PowerShell 5.1 and PowerShell 7 print them.</summary>
[Collection(ApiCollection.Name)]
public class MoveStatisticsTests(ApiFixture api)
{
    private async Task<string> Transition(params string[] addresses)
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/mailboxes", addresses.Select(a => new { address = a, kind = "user-mailbox", occurredAt = "2026-09-01T08:00:00Z" }).ToArray());
        Assert.True(reply.Status == 201, reply.ToString());
        return id;
    }

    private Task<Reply> Import(string id, string body, string contentType, string query = "") =>
        api.Send("POST", $"/api/transitions/{id}/mailboxes/statistics{query}", Encoding.UTF8.GetBytes(body), null, contentType);

    private async Task<JsonNode> Mailbox(string id, string address) =>
        (await api.Get($"/api/transitions/{id}/mailboxes?address={address}")).Json["items"]![0]!;

    private static (string, string?) StatusOf(JsonNode mailbox) => (mailbox["status"]!.GetValue<string>(), mailbox["statusDetail"]?.GetValue<string>());

    [Fact]
    public async Task an_export_csv_from_windows_powershell_with_its_type_line_is_recorded_row_by_row()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com", "cat@abc.com", "dan@abc.com");
        const string csv = """
            #TYPE Deserialized.Microsoft.Exchange.Data.Storage.Management.MigrationUserStatistics
            "Identity","EmailAddress","BatchId","Status","PercentageComplete","SyncedItemCount","SkippedItemCount","DataConsistencyScore","LastSuccessfulSyncTime","Error","TotalQueuedDuration"
            "ann@abc.com","ann@abc.com","Wave 1","Syncing","42","12040","0","Perfect","10/1/2026 6:30:00 PM","","00:01:00"
            "bob@abc.com","bob@abc.com","Wave 1","Failed","10","300","2","Investigate","10/1/2026 7:00:00 AM","Transient error TooManyBadItemsPermanentException","00:01:00"
            "cat@abc.com","cat@abc.com","Wave 1","CompletedWithWarnings","100","9000","1","Good","10/2/2026 9:15:00 PM","","00:01:00"
            "eve@abc.com","eve@abc.com","Wave 1","Synced","100","10","0","Perfect","10/1/2026 6:30:00 PM","","00:01:00"
            "dan@abc.com","dan@abc.com","Wave 1","Sleeping","100","10","0","Perfect","10/1/2026 6:30:00 PM","","00:01:00"
            """;
        var reply = await Import(id, csv, "text/csv");
        Assert.Equal(207, reply.Status);
        var rows = reply.Json["rows"]!.AsArray();
        Assert.Equal([200, 200, 200, 404, 400], rows.Select(r => r!["status"]!.GetValue<int>()));
        Assert.NotNull(rows[4]!["errors"]!["[5].Status"]);
        Assert.Equal(3, reply.Json["recorded"]!.GetValue<int>());

        var ann = await Mailbox(id, "ann@abc.com");
        Assert.Equal(("syncing", null), StatusOf(ann));
        Assert.Equal((42, 12040L, "perfect"), (ann["percentComplete"]!.GetValue<int>(), ann["itemsSynced"]!.GetValue<long>(), ann["dataConsistencyScore"]!.GetValue<string>()));
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T18:30:00Z"), ann["lastSyncAt"]!.GetValue<DateTimeOffset>());
        // First heard of as failed or completed: recorded so, with the queueing it implies.
        var bob = await Mailbox(id, "bob@abc.com");
        Assert.Equal(("failed", "Transient error TooManyBadItemsPermanentException"), (bob["status"]!.GetValue<string>(), bob["error"]!.GetValue<string>()));
        Assert.Equal(("completed", "CompletedWithWarnings"), StatusOf(await Mailbox(id, "cat@abc.com")));

        // The same file again records nothing; an older row changes nothing.
        var again = await Import(id, csv, "text/csv");
        Assert.Equal(0, again.Json["recorded"]!.GetValue<int>());
        var older = await Import(id, "EmailAddress,Status,PercentageComplete,LastSuccessfulSyncTime\nann@abc.com,Syncing,5,9/30/2026 6:30:00 PM\n", "text/csv");
        Assert.Equal(200, older.Status);
        Assert.Equal(42, (await Mailbox(id, "ann@abc.com"))["percentComplete"]!.GetValue<int>());
    }

    [Fact]
    public async Task convert_to_json_from_both_powershells_is_read_with_its_dates_and_enum_wrappers()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com", "cat@abc.com");
        var wave = await api.Post($"/api/transitions/{id}/waves", new { name = "Wave 2", plannedStart = "2026-10-01T00:00:00Z", plannedCompletion = "2026-10-10T00:00:00Z" });
        // Windows PowerShell 5.1: \/Date(ms)\/ and {"value": n, "Value": "Name"} wrappers; a move request's own column names.
        const string ps51 = """
            [
                {
                    "DisplayName":  "Ann",
                    "PrimarySmtpAddress":  "ann@abc.com",
                    "Status":  { "value": 2, "Value": "InProgress" },
                    "StatusDetail":  { "value": 41, "Value": "StalledDueToTarget_MdbReplication" },
                    "PercentComplete":  64,
                    "ItemsTransferred":  5120,
                    "BadItemsEncountered":  3,
                    "LargeItemsEncountered":  1,
                    "BatchName":  "wave 2",
                    "TotalMailboxSize":  "4.35 GB (4,670,294,096 bytes)",
                    "LastUpdateTimestamp":  "\/Date(1790879400000)\/"
                },
                { "PrimarySmtpAddress": "bob@abc.com", "Status": 2, "PercentComplete": 5 }
            ]
            """;
        var reply = await Import(id, ps51, "application/json");
        Assert.Equal(207, reply.Status);
        Assert.Contains("EnumsAsStrings", reply.Json["rows"]![1]!["errors"]!["[2].Status"]![0]!.GetValue<string>());
        var ann = await Mailbox(id, "ann@abc.com");
        Assert.Equal(("syncing", "StalledDueToTarget_MdbReplication"), StatusOf(ann));
        Assert.True(ann["stalled"]!.GetValue<bool>());
        Assert.Equal((3L, 1L), (ann["badItems"]!.GetValue<long>(), ann["largeItems"]!.GetValue<long>()));
        Assert.Equal(wave.Json["waveId"]!.GetValue<string>(), ann["waveId"]!.GetValue<string>()); // the batch named like the wave joined it
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1790879400000), ann["statusChangedAt"]!.GetValue<DateTimeOffset>());

        // PowerShell 7 -EnumsAsStrings: ISO dates with an offset; one object rather than an array.
        const string ps7 = """{ "EmailAddress": "cat@abc.com", "Status": "Stopped", "PercentageComplete": 30, "LastSuccessfulSyncTime": "2026-10-01T20:30:00+02:00" }""";
        var held = await Import(id, ps7, "application/json");
        Assert.Equal(200, held.Status);
        Assert.Contains("Stopped", held.Json["rows"]![0]!["detail"]!.GetValue<string>());
        var cat = await Mailbox(id, "cat@abc.com");
        Assert.Equal(("queued", "Stopped"), StatusOf(cat));
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T18:30:00Z"), cat["lastSyncAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task a_european_export_csv_is_read_in_its_day_order_and_time_zone()
    {
        var id = await Transition("ann@abc.com");
        const string csv = "\"EmailAddress\";\"Status\";\"PercentageComplete\";\"LastSuccessfulSyncTime\"\n\"ann@abc.com\";\"Synced\";\"100\";\"02.10.2026 20:30:00\"\n";
        var reply = await Import(id, csv, "text/csv", "?dateOrder=dmy&timeZone=Europe/Berlin");
        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal(DateTimeOffset.Parse("2026-10-02T18:30:00Z"), (await Mailbox(id, "ann@abc.com"))["lastSyncAt"]!.GetValue<DateTimeOffset>());

        (await Import(id, csv, "text/csv", "?dateOrder=ydm")).ShouldBeProblem(400, "dateOrder");
        (await Import(id, csv, "text/csv", "?timeZone=Mars/Olympus")).ShouldBeProblem(400, "timeZone");
        (await Import(id, "not json", "application/json")).ShouldBeProblem(400, "body");
        (await Import(id, "[]", "application/json")).ShouldBeProblem(400, "body");
        var bad = await Import(id, "EmailAddress,Status,PercentageComplete,SyncedItemCount,LastSuccessfulSyncTime\nann@abc.com,Synced,140,-4,someday\n", "text/csv");
        Assert.Equal(207, bad.Status);
        var errors = bad.Json["rows"]![0]!["errors"]!.AsObject();
        Assert.Equal(["[1].LastSuccessfulSyncTime", "[1].PercentageComplete", "[1].SyncedItemCount"], errors.Select(e => e.Key).Order());
        (await Import("nope", "[{}]", "application/json")).ShouldBeProblem(404);
    }

    [Fact]
    public async Task several_rows_for_one_mailbox_each_see_the_ones_before_and_odd_dates_are_row_errors()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com");
        // Completed, then an older row (nothing changes), then a later Synced: a completed move is final (409), and nothing else changed.
        const string csv = """
            EmailAddress,Status,PercentageComplete,LastSuccessfulSyncTime
            ann@abc.com,Completed,100,10/2/2026 6:30:00 PM
            ann@abc.com,Syncing,40,10/1/2026 6:30:00 PM
            ann@abc.com,Synced,100,10/3/2026 6:30:00 PM
            bob@abc.com,Failed,10,10/1/2026 6:30:00 PM
            bob@abc.com,Stopped,10,10/2/2026 6:30:00 PM
            """;
        var reply = await Import(id, csv, "text/csv");
        Assert.Equal(207, reply.Status);
        Assert.Equal([200, 200, 409, 200, 200], reply.Json["rows"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal(("completed", null), StatusOf(await Mailbox(id, "ann@abc.com")));
        var bob = await Mailbox(id, "bob@abc.com"); // held: still failed, with its error, EXO's word as detail
        Assert.Equal(("failed", "Stopped", "Exchange Online reports Failed."), (bob["status"]!.GetValue<string>(), bob["statusDetail"]!.GetValue<string>(), bob["error"]!.GetValue<string>()));

        const string odd = """
            [
              { "EmailAddress": "ann@abc.com", "Status": "Completed", "LastSuccessfulSyncTime": "\/Date(99999999999999999999)\/" },
              { "EmailAddress": "ann@abc.com", "Status": "Completed", "LastSuccessfulSyncTime": "\/Date(9999999999999999)\/" },
              { "EmailAddress": "ann@abc.com", "Status": "Completed", "DataConsistencyScore": "Good,Investigate" }
            ]
            """;
        var rows = (await Import(id, odd, "application/json")).Json["rows"]!.AsArray();
        Assert.Equal([400, 400, 400], rows.Select(r => r!["status"]!.GetValue<int>()));
        var never = await Import(id, "EmailAddress,Status,LastSuccessfulSyncTime\nbob@abc.com,Failed,1/1/0001 12:00:00 AM\n", "text/csv", "?timeZone=Asia/Tokyo");
        Assert.Equal(200, never.Status); // Exchange's "never" is DateTime.MinValue: no last sync
    }

    [Fact]
    public async Task thousands_of_rows_are_recorded_in_one_call()
    {
        var addresses = Enumerable.Range(0, 3000).Select(i => $"user{i:D4}@abc.com").ToArray();
        var id = await Transition(addresses);
        var csv = new StringBuilder("\"EmailAddress\",\"Status\",\"PercentageComplete\",\"LastSuccessfulSyncTime\"\n");
        foreach (var (address, i) in addresses.Select((a, i) => (a, i)))
            csv.Append($"\"{address}\",\"{(i % 3 == 0 ? "Completed" : "Syncing")}\",\"{i % 100}\",\"10/1/2026 6:30:00 PM\"\n");
        var reply = await Import(id, csv.ToString(), "text/csv");
        Assert.True(reply.Status == 200, reply.Body[..Math.Min(500, reply.Body.Length)]);
        Assert.Equal(3000, reply.Json["recorded"]!.GetValue<int>());
        Assert.Equal(1000, (await api.Get($"/api/transitions/{id}/mailboxes?status=completed&pageSize=1")).Json["total"]!.GetValue<int>());
    }
}

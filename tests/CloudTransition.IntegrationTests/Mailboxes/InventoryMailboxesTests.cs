using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Mailboxes;

[Collection(ApiCollection.Name)]
public class InventoryMailboxesTests(ApiFixture api)
{
    [Fact]
    public async Task one_mailbox_is_created()
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/mailboxes", new { address = "Ann@ABC.com", kind = "user-mailbox", sizeGb = 12.5 });
        Assert.Equal(201, reply.Status);

        var list = await api.Get($"/api/transitions/{id}/mailboxes");
        var item = list.Json["items"]![0]!;
        Assert.Equal("ann@abc.com", item["address"]!.GetValue<string>());
        Assert.Equal("not-started", item["status"]!.GetValue<string>());
        Assert.Equal(12.5m, item["sizeGb"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task an_array_with_bad_rows_answers_207_and_stores_the_good_ones()
    {
        var id = await api.StartTransition();
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "dup@abc.com", kind = "user-mailbox" });
        var reply = await api.Post($"/api/transitions/{id}/mailboxes", new object[]
        {
            new { address = "room1@abc.com", kind = "resource-mailbox" },
            new { address = "x@abc.com", kind = "team-mailbox" },
            new { address = "dup@abc.com", kind = "user-mailbox" },
            new { address = "shared@abc.com", kind = "shared-mailbox" },
            new { address = "shared@abc.com", kind = "shared-mailbox" },
        });

        Assert.Equal(207, reply.Status);
        Assert.Equal(2, reply.Json["stored"]!.GetValue<int>());
        var rows = reply.Json["rows"]!.AsArray();
        Assert.Equal([201, 400, 409, 201, 409], rows.Select(r => r!["status"]!.GetValue<int>()));
        Assert.NotNull(rows[1]!["errors"]!["kind"]);
        Assert.Equal(3, (await api.Get($"/api/transitions/{id}/mailboxes")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task csv_is_imported_with_per_row_results()
    {
        var id = await api.StartTransition();
        const string csv = "Address,Kind,SizeGb\nann@abc.com,user-mailbox,40\nboardroom@abc.com,resource-mailbox,\nbob@abc.com,bogus-kind,3\nnot-an-address,user-mailbox,\n";
        var reply = await api.PostRaw($"/api/transitions/{id}/mailboxes", csv, "text/csv");

        Assert.Equal(207, reply.Status);
        var rows = reply.Json["rows"]!.AsArray();
        Assert.Equal([201, 201, 400, 400], rows.Select(r => r!["status"]!.GetValue<int>()));
        Assert.NotNull(rows[2]!["errors"]!["kind"]);
        Assert.NotNull(rows[3]!["errors"]!["address"]);
        var resources = await api.Get($"/api/transitions/{id}/mailboxes?kind=resource-mailbox");
        Assert.Equal("boardroom@abc.com", resources.Json["items"]![0]!["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task all_rows_failing_is_400_and_nothing_is_stored()
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/mailboxes", new object[] { new { address = "nope", kind = "user-mailbox" }, new { address = "a@abc.com" } });
        reply.ShouldBeProblem(400, "[1].address");
        Assert.NotNull(reply.Json["errors"]!["[2].kind"]);
        Assert.Equal(0, (await api.Get($"/api/transitions/{id}/mailboxes")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_duplicate_single_mailbox_is_409()
    {
        var id = await api.StartTransition();
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "a@abc.com", kind = "user-mailbox" });
        (await api.Post($"/api/transitions/{id}/mailboxes", new { address = "A@abc.com", kind = "shared-mailbox" })).ShouldBeProblem(409);
    }

    [Theory]
    [InlineData("{\"address\":\"a@abc.com\",\"kind\":\"mailbox\"}", "kind")]
    [InlineData("{\"address\":\"a@abc.com\"}", "kind")]
    [InlineData("{\"address\":\"not-an-email\",\"kind\":\"user-mailbox\"}", "address")]
    [InlineData("{\"address\":\"a@abc.com\",\"kind\":\"user-mailbox\",\"sizeGb\":\"big\"}", "sizeGb")]
    [InlineData("{\"address\":\"a@abc.com\",\"kind\":\"user-mailbox\",\"sizeGb\":-1}", "sizeGb")]
    [InlineData("{\"address\":\"a@abc.com\",\"kind\":\"user-mailbox\",\"occurredAt\":\"yesterday\"}", "occurredAt")]
    [InlineData("{\"address\":\"a@abc.com\",\"kind\":\"user-mailbox\"", "body")]
    [InlineData("42", "body")]
    public async Task a_bad_single_mailbox_names_the_field_and_stores_nothing(string body, string field)
    {
        var id = await api.StartTransition();
        (await api.PostRaw($"/api/transitions/{id}/mailboxes", body, "application/json")).ShouldBeProblem(400, field);
        Assert.Equal(0, (await api.Get($"/api/transitions/{id}/mailboxes")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task list_filters_are_validated()
    {
        var id = await api.StartTransition();
        (await api.Get($"/api/transitions/{id}/mailboxes?status=moving")).ShouldBeProblem(400, "status");
        (await api.Get($"/api/transitions/{id}/mailboxes?pageSize=5000")).ShouldBeProblem(400, "pageSize");
    }

    [Fact]
    public async Task a_csv_row_with_bytes_that_are_not_utf8_is_refused_naming_its_row_and_column_and_nothing_is_stored()
    {
        var id = await api.StartTransition();
        byte[] csv = [.. "address,kind\nann@abc.com,user-mailbox\nbad"u8, 0xff, .. "@c2.example,user-mailbox\n"u8];
        var reply = await api.Send("POST", $"/api/transitions/{id}/mailboxes", csv, null, "text/csv");

        reply.ShouldBeProblem(400, "[2].address");
        Assert.Contains("Row 2, column 1", reply.Json["errors"]!["[2].address"]![0]!.GetValue<string>());
        Assert.Equal(0, (await api.Get($"/api/transitions/{id}/mailboxes")).Json["total"]!.GetValue<int>());
    }
}

using System.Text;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Hosting;

[Collection(ApiCollection.Name)]
public class BadInputTests(ApiFixture api)
{
    [Fact]
    public async Task malformed_json_is_400_naming_the_body()
    {
        (await api.PostRaw("/api/transitions", "{\"organisation\": \"X\", ", "application/json")).ShouldBeProblem(400, "body");
    }

    [Fact]
    public async Task a_wrong_type_is_400_naming_the_field()
    {
        (await api.PostRaw("/api/transitions", "{\"organisation\": 12, \"domains\": [\"x.com\"]}", "application/json")).ShouldBeProblem(400, "organisation");
        (await api.PostRaw("/api/transitions", "{\"organisation\": \"X\", \"domains\": \"x.com\"}", "application/json")).ShouldBeProblem(400, "domains");
    }

    [Fact]
    public async Task an_unknown_enum_value_lists_the_allowed_ones()
    {
        var id = await api.StartTransition();
        var reply = await api.PostRaw($"/api/transitions/{id}/phase", "{\"phase\": \"done\"}", "application/json");
        reply.ShouldBeProblem(400, "phase");
        Assert.Contains("proof-of-concept", reply.Json["errors"]!["phase"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task an_empty_body_or_null_is_400()
    {
        (await api.PostRaw("/api/transitions", "", "application/json")).ShouldBeProblem(400);
        (await api.PostRaw("/api/transitions", "null", "application/json")).ShouldBeProblem(400, "body");
    }

    [Fact]
    public async Task a_ten_megabyte_body_is_413()
    {
        var huge = "{\"organisation\": \"" + new string('x', 10 * 1024 * 1024) + "\", \"domains\": [\"x.com\"]}";
        (await api.Send("POST", "/api/transitions", Encoding.UTF8.GetBytes(huge), null, "application/json")).ShouldBeProblem(413);
    }

    [Fact]
    public async Task a_wrong_content_type_is_415()
    {
        (await api.PostRaw("/api/transitions", "organisation=X", "application/x-www-form-urlencoded")).ShouldBeProblem(415);
        (await api.PostRaw("/api/transitions", "<transition/>", "application/xml")).ShouldBeProblem(415);
    }

    [Fact]
    public async Task unknown_routes_and_wrong_methods_answer_problems()
    {
        (await api.Get("/api/nothing-here")).ShouldBeProblem(404);
        (await api.Send("DELETE", "/api/transitions", null, null)).ShouldBeProblem(405);
    }

    [Fact]
    public async Task deep_nesting_is_refused_without_a_server_error()
    {
        var deep = "{\"organisation\":\"X\",\"domains\":[\"x.com\"],\"extra\":" + new string('[', 200) + new string(']', 200) + "}";
        var reply = await api.PostRaw("/api/transitions", deep, "application/json");
        Assert.InRange(reply.Status, 400, 499);
    }

    [Fact]
    public async Task a_duplicate_key_is_400_naming_it_rather_than_the_last_one_winning()
    {
        var reply = await api.PostRaw("/api/transitions", "{\"organisation\": \"X\", \"organisation\": \"Y\", \"domains\": [\"x.com\"]}", "application/json");
        reply.ShouldBeProblem(400, "organisation");
    }

    [Fact]
    public async Task invalid_utf8_in_json_is_400_naming_the_field()
    {
        byte[] body = [.. "{\"organisation\": \"bad"u8, 0xff, .. "\", \"domains\": [\"x.com\"]}"u8];
        var reply = await api.Send("POST", "/api/transitions", body, null, "application/json");
        reply.ShouldBeProblem(400, "organisation");
        Assert.Contains("UTF-8", reply.Body);
    }

    [Fact]
    public async Task no_answer_names_a_clr_type()
    {
        var id = await api.StartTransition();
        var reply = await api.PostRaw($"/api/transitions/{id}/mailboxes", "{\"address\": \"a@abc.com\", \"kind\": \"room\"}", "application/json");
        reply.ShouldBeProblem(400, "kind");
        Assert.Contains("user-mailbox, resource-mailbox, shared-mailbox", reply.Json["errors"]!["kind"]![0]!.GetValue<string>());
        Assert.DoesNotContain("CloudTransition.", reply.Body);
    }

    [Fact]
    public async Task an_unparseable_query_value_is_400_naming_the_parameter_and_what_it_accepts()
    {
        var id = await api.StartTransition();
        var reply = await api.Get($"/api/transitions/{id}/dashboard?asOf=yesterday");
        reply.ShouldBeProblem(400, "asOf");
        Assert.Contains("ISO-8601", reply.Json["errors"]!["asOf"]![0]!.GetValue<string>());
        Assert.DoesNotContain("System.", reply.Body);
    }

    [Fact]
    public async Task an_accept_the_api_cannot_answer_is_406()
    {
        var reply = await api.Send("GET", "/api/transitions", null, null, headers: new Dictionary<string, string> { ["Accept"] = "application/xml" });
        reply.ShouldBeProblem(406);
        Assert.Equal(200, (await api.Send("GET", "/api/transitions", null, null, headers: new Dictionary<string, string> { ["Accept"] = "text/html, application/json;q=0.5" })).Status);
        Assert.Equal(200, (await api.Send("GET", "/api/transitions", null, null, headers: new Dictionary<string, string> { ["Accept"] = "*/*" })).Status);
    }

    [Fact]
    public async Task a_misspelt_field_is_refused_naming_it_and_nothing_is_recorded()
    {
        var id = await api.StartTransition();
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" });
        var reply = await api.PostRaw($"/api/transitions/{id}/mailboxes/ann@abc.com/move", "{\"status\": \"queued\", \"occuredAt\": \"2026-01-05T10:00:00Z\"}", "application/json");
        reply.ShouldBeProblem(400, "occuredAt");
        Assert.Contains("occurredAt", reply.Json["errors"]!["occuredAt"]![0]!.GetValue<string>());
        Assert.Equal("not-started", (await api.Get($"/api/transitions/{id}/mailboxes")).Json["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_nul_in_a_query_value_is_400_not_a_store_failure()
    {
        var id = await api.StartTransition();
        (await api.Get($"/api/transitions/{id}/mailboxes?address=%00")).ShouldBeProblem(400, "address");
    }

    [Fact]
    public async Task a_page_past_what_the_store_can_skip_is_400_not_an_overflow()
    {
        var id = await api.StartTransition();
        (await api.Get($"/api/transitions/{id}/mailboxes?page=166383285")).ShouldBeProblem(400, "page");
        Assert.Empty((await api.Get($"/api/transitions/{id}/mailboxes?page=1000000&pageSize=1000")).Json["items"]!.AsArray());
    }
}

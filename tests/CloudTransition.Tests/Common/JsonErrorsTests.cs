using System.Text;
using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Api.Hosting;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Mailboxes;

namespace CloudTransition.Tests.Common;

public class JsonErrorsTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions();
        HttpApi.Configure(options);
        return options;
    }

    private static (string Field, string Message) Refusal<T>(byte[] json)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<T>(json, Options));
        return JsonErrors.Describe(typeof(T), e);
    }

    private static (string Field, string Message) Refusal<T>(string json) => Refusal<T>(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("{\"address\":\"a@b.com\",\"kind\":\"mailbox\"}", "kind", "user-mailbox, resource-mailbox, shared-mailbox")]
    [InlineData("{\"address\":\"a@b.com\",\"kind\":7}", "kind", "user-mailbox")]
    [InlineData("{\"address\":\"a@b.com\",\"sizeGb\":\"big\"}", "sizeGb", "number")]
    [InlineData("{\"address\":\"a@b.com\",\"occurredAt\":\"yesterday\"}", "occurredAt", "ISO-8601")]
    public void a_bad_value_names_the_field_and_what_it_accepts_without_a_type_name(string json, string field, string hint)
    {
        var (named, message) = Refusal<InventoryMailbox>(json);
        Assert.Equal(field, named);
        Assert.Contains(hint, message);
        Assert.DoesNotContain("CloudTransition", message);
    }

    [Fact]
    public void a_bad_enum_deep_in_a_body_names_its_path()
    {
        var (field, message) = Refusal<RunHybridWizard>("{\"exchangeVersion\":\"2010\",\"endpoints\":[{\"server\":\"x\",\"role\":\"mailbox\"}]}");
        Assert.Equal("endpoints[0].role", field);
        Assert.Contains("cas-hub", message);
    }

    [Fact]
    public void invalid_utf8_in_a_string_is_named_as_such()
    {
        var (field, message) = Refusal<InventoryMailbox>([.. "{\"address\":\"bad"u8, 0xff, .. "@c2.example\"}"u8]);
        Assert.Equal("address", field);
        Assert.Contains("UTF-8", message);
    }

    [Fact]
    public void a_duplicate_key_is_named()
    {
        var (field, message) = Refusal<InventoryMailbox>("{\"address\":\"a@b.com\",\"address\":\"c@d.com\"}");
        Assert.Equal("address", field);
        Assert.Contains("more than once", message);
    }

    [Fact]
    public void malformed_json_points_at_the_body()
    {
        var (field, message) = Refusal<InventoryMailbox>("[}");
        Assert.Equal("body", field);
        Assert.Contains("Malformed", message);
    }
}

public class UnknownFieldTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions();
        HttpApi.Configure(options);
        return options;
    }

    private static (string Field, string Message) Refusal<T>(string json)
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<T>(json, Options));
        return JsonErrors.Describe(typeof(T), e);
    }

    [Fact]
    public void a_misspelt_field_is_refused_with_the_one_it_meant()
    {
        var (field, message) = Refusal<InventoryMailbox>("{\"address\":\"a@b.com\",\"kind\":\"user-mailbox\",\"occuredAt\":\"2026-11-01T00:00:00Z\"}");
        Assert.Equal("occuredAt", field);
        Assert.Contains("did you mean 'occurredAt'", message);
    }

    [Fact]
    public void an_unknown_field_deep_in_a_body_names_its_path()
    {
        var (field, message) = Refusal<RunHybridWizard>("{\"exchangeVersion\":\"2010\",\"endpoints\":[{\"server\":\"x\",\"role\":\"cas\",\"rol\":\"hub\"}]}");
        Assert.Equal("endpoints[0].rol", field);
        Assert.Contains("did you mean 'role'", message);
    }
}

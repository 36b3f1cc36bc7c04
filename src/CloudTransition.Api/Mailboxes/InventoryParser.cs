using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using CsvHelper;
using CsvHelper.Configuration;

namespace CloudTransition.Api.Mailboxes;

public record ParsedRow(InventoryMailbox? Mailbox, IDictionary<string, string[]>? Errors);

public record ParsedInventory(bool Single, IReadOnlyList<ParsedRow> Rows, IResult? Problem = null);

/// <summary>Reads an inventory body: one JSON object, a JSON array, or CSV with a header row.</summary>
public static class InventoryParser
{
    public static async Task<ParsedInventory> ParseAsync(HttpRequest http, JsonSerializerOptions options)
    {
        var mediaType = (http.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType == "text/csv" ? await ParseCsvAsync(http.Body) : await ParseJsonAsync(http.Body, options);
    }

    private static async Task<ParsedInventory> ParseJsonAsync(Stream body, JsonSerializerOptions options)
    {
        JsonDocument document;
        try { document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { return Fail("body", $"The body is not valid JSON: {e.Message}"); }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Object => new ParsedInventory(true, [Row(root, options)]),
                JsonValueKind.Array when root.GetArrayLength() == 0 => Fail("body", "The array holds no mailbox."),
                JsonValueKind.Array => new ParsedInventory(false, root.EnumerateArray().Select(e => Row(e, options)).ToList()),
                _ => Fail("body", "Send a mailbox object, an array of them, or text/csv."),
            };
        }
    }

    private static ParsedRow Row(JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object) return Error("body", "Each row must be a JSON object.");
        try { return new ParsedRow(element.Deserialize<InventoryMailbox>(options), null); }
        catch (JsonException e)
        {
            var (field, message) = JsonErrors.Describe(typeof(InventoryMailbox), e);
            return Error(field, message);
        }
    }

    private static async Task<ParsedInventory> ParseCsvAsync(Stream body)
    {
        var (text, invalid) = await Utf8Csv.Read(body);
        if (invalid is not null) return Fail(invalid);
        using var reader = new StringReader(text!);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(), TrimOptions = TrimOptions.Trim };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader()) return Fail("body", "The CSV is empty; expected a header row: address,kind,sizeGb");
            if (!csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).Contains("address"))
                return Fail("body", "The CSV header must name the columns address, kind and optionally sizeGb, occurredAt.");
            var rows = new List<ParsedRow>();
            while (await csv.ReadAsync()) rows.Add(CsvRow(csv));
            return rows.Count == 0 ? Fail("body", "The CSV holds no mailbox.") : new ParsedInventory(false, rows);
        }
        catch (CsvHelperException e) { return Fail("body", $"The CSV cannot be read: {e.Message.Split('\n')[0]}"); }
    }

    private static ParsedRow CsvRow(CsvReader csv)
    {
        var errors = new Dictionary<string, string[]>();
        var kindText = Cell(csv, "kind");
        MailboxKind? kind = null;
        if (kindText is not null && Kebab.TryParse<MailboxKind>(kindText, out var k)) kind = k;
        else if (kindText is not null) errors["kind"] = [$"Unknown kind '{kindText}'; use one of {Kebab.Allowed<MailboxKind>()}."];

        decimal? size = null;
        if (Cell(csv, "sizegb") is { } sizeText)
        {
            if (decimal.TryParse(sizeText, NumberStyles.Number, CultureInfo.InvariantCulture, out var s)) size = s;
            else errors["sizeGb"] = [$"'{sizeText}' is not a number."];
        }
        DateTimeOffset? at = null;
        if (Cell(csv, "occurredat") is { } atText)
        {
            if (DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)) at = a;
            else errors["occurredAt"] = [$"'{atText}' is not an ISO-8601 instant."];
        }
        var mailbox = new InventoryMailbox(Cell(csv, "address"), kind, size, at);
        return new ParsedRow(mailbox, errors.Count > 0 ? errors : null);
    }

    private static string? Cell(CsvReader csv, string column) =>
        csv.TryGetField<string>(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static ParsedRow Error(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });

    private static ParsedInventory Fail(string field, string message) => Fail(new Dictionary<string, string[]> { [field] = [message] });

    private static ParsedInventory Fail(Dictionary<string, string[]> errors) => new(true, [], TypedResults.ValidationProblem(errors));
}

using System.Globalization;
using System.Text.Json;
using CloudTransition.Api.Common;
using CsvHelper;
using CsvHelper.Configuration;

namespace CloudTransition.Api.Mailboxes;

/// <summary>One row of what Exchange Online printed: its cells by column name (any case), as text, numbered from 1.</summary>
public record ExoRow(int Number, IReadOnlyDictionary<string, string> Cells)
{
    public string? Cell(params string[] columns) =>
        columns.Select(c => Cells.TryGetValue(c, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null).FirstOrDefault(v => v is not null);

    /// <summary>The first of <paramref name="columns"/> the row has, for naming a field in an error.</summary>
    public string Column(params string[] columns) =>
        Cells.Keys.FirstOrDefault(k => columns.Contains(k, StringComparer.OrdinalIgnoreCase)) ?? columns[0];
}

/// <summary>The rows of a statistics body, or why it cannot be read at all.</summary>
public record ExoTable(IReadOnlyList<ExoRow> Rows, Dictionary<string, string[]>? Invalid = null);

/// <summary>
/// Reads what <c>Get-MigrationUserStatistics</c> and <c>Get-MoveRequestStatistics</c> print, as Windows PowerShell 5.1 and
/// PowerShell 7 write it: <c>ConvertTo-Json</c> (one object or an array; 5.1's <c>\/Date(ms)\/</c> dates and
/// <c>{"value": 3, "Value": "Synced"}</c> enum wrappers) or <c>Export-Csv</c> (5.1's <c>#TYPE</c> first line, every field
/// quoted, a <c>;</c> delimiter under <c>-UseCulture</c>). Only text is taken here; what it means is <see cref="ExoMoveReports"/>.
/// </summary>
public static class ExoStatistics
{
    public static async Task<ExoTable> ParseAsync(HttpRequest http)
    {
        var mediaType = (http.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType == "text/csv" ? await Csv(http.Body) : await Json(http.Body);
    }

    private static ExoTable Fail(string message) => new([], new Dictionary<string, string[]> { ["body"] = [message] });

    private static async Task<ExoTable> Json(Stream body)
    {
        JsonDocument document;
        try { document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { return Fail($"The body is not valid JSON: {e.Message}"); }
        using (document)
        {
            var root = document.RootElement;
            var objects = root.ValueKind switch
            {
                JsonValueKind.Object => [root],
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                _ => null,
            };
            if (objects is null) return Fail("Send ConvertTo-Json output (an object or an array of them), or Export-Csv output as text/csv.");
            if (objects.Count == 0) return Fail("The array holds no row.");
            if (objects.Any(o => o.ValueKind != JsonValueKind.Object)) return Fail("Each row must be a JSON object.");
            return new ExoTable(objects.Select((o, i) => new ExoRow(i + 1, Cells(o))).ToList());
        }
    }

    private static Dictionary<string, string> Cells(JsonElement row)
    {
        var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in row.EnumerateObject())
            if (Text(property.Value) is { } text) cells.TryAdd(property.Name, text);
        return cells;
    }

    /// <summary>
    /// A value as the text PowerShell would print: an enum wrapper by its name (<c>Value</c>, else <c>value</c>), a 5.1
    /// DateTime object by its <c>value</c>, an identity object by its <c>Name</c>; numbers as written.
    /// </summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object => new[] { "Value", "value", "Name", "Address" }
            .Select(n => value.TryGetProperty(n, out var inner) ? Text(inner) : null).FirstOrDefault(t => t is not null),
        _ => null,
    };

    private static async Task<ExoTable> Csv(Stream body)
    {
        var (text, invalid) = await Utf8Csv.Read(body);
        if (invalid is not null) return new ExoTable([], invalid);
        var lines = text!;
        if (lines.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase)) lines = lines[(lines.IndexOf('\n') + 1)..];
        var header = lines[..Math.Max(0, lines.IndexOf('\n'))];
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = header.Count(c => c == ';') > header.Count(c => c == ',') ? ";" : ",", TrimOptions = TrimOptions.Trim, BadDataFound = null,
        };
        try
        {
            using var csv = new CsvReader(new StringReader(lines), config);
            if (!await csv.ReadAsync() || !csv.ReadHeader()) return Fail("The CSV is empty; expected Export-Csv output with a header row.");
            var columns = csv.HeaderRecord!;
            var rows = new List<ExoRow>();
            while (await csv.ReadAsync())
            {
                var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < columns.Length; i++)
                    if (csv.TryGetField<string>(i, out var cell) && cell is not null) cells.TryAdd(columns[i].Trim(), cell);
                rows.Add(new ExoRow(rows.Count + 1, cells));
            }
            return rows.Count == 0 ? Fail("The CSV holds no row.") : new ExoTable(rows);
        }
        catch (CsvHelperException e) { return Fail($"The CSV cannot be read: {e.Message.Split('\n')[0]}"); }
    }
}

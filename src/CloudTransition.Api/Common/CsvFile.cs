using System.Globalization;
using System.Reflection;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace CloudTransition.Api.Common;

/// <summary>Endpoint metadata: the list also answers `text/csv` (on `Accept: text/csv` or `?format=csv`).</summary>
public sealed record CsvExport;

/// <summary>
/// A list as a CSV file Excel opens right: UTF-8 with a byte order mark, a header row, RFC 4180 quoting (CsvHelper), instants
/// in ISO-8601 UTC, enums as the API writes them; rows written as they come, so a 100,000-row export is never held at once.
/// `Content-Disposition` names the file after the organisation and the day.
/// </summary>
public sealed class CsvFile(string name, IReadOnlyList<string> header, IAsyncEnumerable<object?[]> rows) : IResult, IEndpointMetadataProvider
{
    public static bool Wanted(HttpRequest request, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || format is null && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)
        && ranges.Where(r => r.Quality is null or > 0).OrderByDescending(r => r.Quality ?? 1).FirstOrDefault()?.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>`format` is json or csv; anything else is the client's mistake, named in a 400.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? FormatProblem(string? format) =>
        format is null || format.Equals("csv", StringComparison.OrdinalIgnoreCase) || format.Equals("json", StringComparison.OrdinalIgnoreCase)
            ? null
            : Problem.Invalid("format", "format must be json or csv.");

    public static CsvFile Of<T>(string organisation, string list, DateTimeOffset day, IReadOnlyList<string> header, IEnumerable<T> rows, Func<T, object?[]> fields) =>
        new(FileName(organisation, list, day), header, Async(rows.Select(fields)));

    public static CsvFile Of<T>(string organisation, string list, DateTimeOffset day, IReadOnlyList<string> header, IAsyncEnumerable<T> rows, Func<T, object?[]> fields) =>
        new(FileName(organisation, list, day), header, rows.Select(fields));

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = Disposition("attachment", name);
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        foreach (var column in header) csv.WriteField(column);
        await csv.NextRecordAsync();
        var written = 0;
        await foreach (var row in rows.WithCancellation(http.RequestAborted))
        {
            foreach (var value in row) csv.WriteField(Text(value));
            await csv.NextRecordAsync();
            if (++written % 1000 == 0) await writer.FlushAsync(http.RequestAborted);
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => Kebab.Name(e.GetType(), e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> list => string.Join("; ", list),
        _ => value.ToString() ?? "",
    };

    /// <summary>`Content-Disposition` naming a download: the name in UTF-8 (`filename*`), and in ASCII for clients that read only `filename`.</summary>
    public static string Disposition(string type, string name)
    {
        var ascii = new string(name.Select(c => c is >= ' ' and < (char)127 && c != '"' && c != '\\' ? c : '_').ToArray());
        return new ContentDispositionHeaderValue(type) { FileName = $"\"{ascii}\"", FileNameStar = name }.ToString();
    }

    private static string FileName(string organisation, string list, DateTimeOffset day)
    {
        var safe = new string(organisation.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' ' ? c : '-').ToArray()).Trim();
        return $"{(safe.Length == 0 ? "transition" : safe)} {list} {day.UtcDateTime:yyyy-MM-dd}.csv";
    }

    private static async IAsyncEnumerable<object?[]> Async(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(new CsvExport());
}

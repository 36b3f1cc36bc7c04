using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace CloudTransition.Api.Common;

/// <summary>The text of a CSV body, or the cells that hold bytes which are not UTF-8: those are refused, never replaced.</summary>
public static class Utf8Csv
{
    /// <summary>Bodies are at most 4 MB (RequestGuards), so reading one whole is fine. A byte-order mark is dropped.</summary>
    public static async Task<(string? Text, Dictionary<string, string[]>? Invalid)> Read(Stream body)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var text = Encoding.UTF8.GetString(bytes);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return (null, InvalidCells(text));
        return (text.TrimStart('\uFEFF'), null);
    }

    /// <summary>Each cell (row and column) where the decoder had to replace bytes that are not UTF-8.</summary>
    private static Dictionary<string, string[]> InvalidCells(string replaced)
    {
        const string message = "holds bytes that are not valid UTF-8; save the file as UTF-8 and send it again.";
        var errors = new Dictionary<string, string[]>();
        using var csv = new CsvReader(new StringReader(replaced), new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, BadDataFound = null });
        string[]? header = null;
        for (var row = 0; csv.Read(); row++)
        {
            var cells = csv.Parser.Record ?? [];
            header ??= cells;
            for (var column = 0; column < cells.Length; column++)
                if (cells[column].Contains('\uFFFD'))
                    errors[row == 0 ? $"header[{column + 1}]" : $"[{row}].{(column < header.Length ? header[column].Trim() : $"column{column + 1}")}"] = [$"Row {row}, column {column + 1} {message}"];
        }
        if (errors.Count == 0) errors["body"] = [$"The CSV {message}"];
        return errors;
    }
}

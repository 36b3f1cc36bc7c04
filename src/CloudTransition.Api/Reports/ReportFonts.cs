using PdfSharp.Fonts;

namespace CloudTransition.Api.Reports;

/// <summary>
/// DejaVu Sans (Bitstream Vera licence, `Fonts/LICENSE-DejaVu.txt`), built into the assembly: PDFsharp reads no system fonts on
/// Linux, and a server may have none. Every family resolves to it; PDFsharp embeds the glyphs a report uses.
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    public const string Family = "Report";
    private static readonly Lock Once = new();
    private static bool _installed;

    public static void Install()
    {
        lock (Once)
        {
            if (_installed) return;
            GlobalFontSettings.FontResolver = new ReportFonts();
            _installed = true;
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic);

    public byte[] GetFont(string faceName)
    {
        using var font = typeof(ReportFonts).Assembly.GetManifestResourceStream($"Fonts.{faceName}.ttf")
                         ?? throw new InvalidOperationException($"The report font '{faceName}' is not built into the service.");
        using var bytes = new MemoryStream();
        font.CopyTo(bytes);
        return bytes.ToArray();
    }
}

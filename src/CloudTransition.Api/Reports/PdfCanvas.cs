using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CloudTransition.Api.Reports;

/// <summary>
/// A4 pages written top to bottom: headings, wrapped text, tables that continue on the next page with their header, and a line
/// chart. Keeps the position on the page, so a report is a list of what to say in order.
/// </summary>
public sealed class PdfCanvas : IDisposable
{
    private const double Margin = 42, Bottom = 800;
    private static readonly XColor Ink = XColor.FromArgb(31, 41, 55), Muted = XColor.FromArgb(90, 100, 115), Rule = XColor.FromArgb(210, 215, 222);
    private readonly PdfDocument _document = new();
    private readonly string _footer;
    private XGraphics? _page;
    private double _y;

    public PdfCanvas(string title, string footer)
    {
        ReportFonts.Install();
        _document.Info.Title = title;
        _document.Info.Creator = "CloudTransition";
        _footer = footer;
        NewPage();
    }

    public static XFont Font(double size, bool bold = false) => new(ReportFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
    public double Width => 595 - 2 * Margin;
    private XGraphics G => _page!;

    public void Title(string text, string subtitle)
    {
        G.DrawString(text, Font(18, true), new XSolidBrush(Ink), new XPoint(Margin, _y + 18));
        _y += 28;
        Text(subtitle, 10, Muted);
        _y += 6;
    }

    public void Heading(string text)
    {
        Room(60);
        _y += 10;
        G.DrawString(text, Font(12.5, true), new XSolidBrush(Ink), new XPoint(Margin, _y + 12));
        _y += 18;
        G.DrawLine(new XPen(Rule, 0.8), Margin, _y, Margin + Width, _y);
        _y += 6;
    }

    public void Text(string text, double size = 9.5, XColor? color = null)
    {
        var font = Font(size);
        var lines = Wrap(text, font, Width);
        Room(lines.Count * size * 1.35);
        foreach (var line in lines)
        {
            G.DrawString(line, font, new XSolidBrush(color ?? Ink), new XPoint(Margin, _y + size));
            _y += size * 1.35;
        }
    }

    /// <summary>A table: relative column widths, a header, rows (each cell wrapped); it continues on the next page with its header.</summary>
    public void Table(IReadOnlyList<(string Header, double Width, bool Right)> columns, IEnumerable<IReadOnlyList<string>> rows, double size = 8.5)
    {
        var total = columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width / total * Width).ToList();
        var (font, bold) = (Font(size), Font(size, true));
        void Header()
        {
            Room(size * 2.6);
            G.DrawRectangle(new XSolidBrush(XColor.FromArgb(238, 241, 245)), Margin, _y, Width, size * 1.9);
            Cells(columns.Select(c => c.Header).ToList(), bold, XColor.FromArgb(31, 41, 55));
        }
        void Cells(IReadOnlyList<string> cells, XFont f, XColor color)
        {
            var wrapped = cells.Select((c, i) => Wrap(c, f, widths[i] - 6)).ToList();
            var height = wrapped.Max(w => w.Count) * size * 1.3 + size * 0.6;
            var x = Margin;
            for (var i = 0; i < cells.Count; i++)
            {
                for (var l = 0; l < wrapped[i].Count; l++)
                {
                    var line = wrapped[i][l];
                    var lineX = columns[i].Right ? x + widths[i] - 3 - G.MeasureString(line, f).Width : x + 3;
                    G.DrawString(line, f, new XSolidBrush(color), new XPoint(lineX, _y + size * 1.15 + l * size * 1.3));
                }
                x += widths[i];
            }
            _y += height;
        }
        Header();
        foreach (var row in rows)
        {
            var height = row.Select((c, i) => Wrap(c, font, widths[i] - 6).Count).Max() * size * 1.3 + size * 0.6;
            if (_y + height > Bottom)
            {
                NewPage();
                Header();
            }
            Cells(row, font, Ink);
            G.DrawLine(new XPen(Rule, 0.5), Margin, _y, Margin + Width, _y);
        }
        _y += 4;
    }

    /// <summary>A line chart over days: each series a colour and a dash, a legend under it, the y axis from zero.</summary>
    public void LineChart(IReadOnlyList<DateOnly> days, IReadOnlyList<(string Name, XColor Color, bool Dashed, IReadOnlyList<double?> Values)> series, double height = 190)
    {
        Room(height + 40);
        var (left, top, width) = (Margin + 34, _y + 6, Width - 40);
        var max = Math.Max(1, series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(1).Max());
        var step = NiceStep(max / 4);
        max = Math.Ceiling(max / step) * step;
        var small = Font(7);
        for (var v = 0.0; v <= max + step / 2; v += step)
        {
            var y = top + height - v / max * height;
            G.DrawLine(new XPen(Rule, 0.5), left, y, left + width, y);
            var label = v.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);
            G.DrawString(label, small, new XSolidBrush(Muted), new XPoint(left - 4 - G.MeasureString(label, small).Width, y + 2.5));
        }
        double X(int i) => left + (days.Count == 1 ? width / 2 : i * width / (days.Count - 1));
        var every = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
        for (var i = 0; i < days.Count; i += every)
            G.DrawString(days[i].ToString("dd MMM", System.Globalization.CultureInfo.InvariantCulture), small, new XSolidBrush(Muted), new XPoint(X(i) - 12, top + height + 10));
        foreach (var (_, color, dashed, values) in series)
        {
            var pen = new XPen(color, 1.6) { DashStyle = dashed ? XDashStyle.Dash : XDashStyle.Solid };
            var points = values.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => new XPoint(X(p.i), top + height - p.v!.Value / max * height)).ToArray();
            if (points.Length > 1) G.DrawLines(pen, points);
            else if (points.Length == 1) G.DrawEllipse(new XSolidBrush(color), points[0].X - 2, points[0].Y - 2, 4, 4);
        }
        var legendX = left;
        foreach (var (name, color, dashed, _) in series)
        {
            var y = top + height + 24;
            G.DrawLine(new XPen(color, 1.6) { DashStyle = dashed ? XDashStyle.Dash : XDashStyle.Solid }, legendX, y - 3, legendX + 16, y - 3);
            G.DrawString(name, small, new XSolidBrush(Ink), new XPoint(legendX + 20, y));
            legendX += 30 + G.MeasureString(name, small).Width;
        }
        _y = top + height + 34;
    }

    public byte[] Save()
    {
        _page?.Dispose();
        _page = null;
        for (var i = 0; i < _document.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var text = $"{_footer} · page {i + 1} of {_document.PageCount}";
            g.DrawString(text, Font(7.5), new XSolidBrush(Muted), new XPoint(Margin, 826));
        }
        using var bytes = new MemoryStream();
        _document.Save(bytes, false);
        return bytes.ToArray();
    }

    public void Dispose()
    {
        _page?.Dispose();
        _document.Dispose();
    }

    private void Room(double needed)
    {
        if (_y + needed > Bottom) NewPage();
    }

    private void NewPage()
    {
        _page?.Dispose();
        var page = _document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        _page = XGraphics.FromPdfPage(page);
        _y = Margin;
    }

    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && G.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else line = candidate;
            }
            lines.Add(line);
        }
        return lines;
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
    }
}

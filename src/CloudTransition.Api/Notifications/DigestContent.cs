using System.Net;
using System.Text;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Api.Views.Waves;

namespace CloudTransition.Api.Notifications;

/// <summary>A digest as it is mailed: the subject, an HTML part and the same in plain text.</summary>
public sealed record DigestMessage(string Subject, string Html, string Text);

/// <summary>Writes a digest: progress, what changed since the last one, alerts and risks, waves, ageing support cases.</summary>
public static class DigestContent
{
    /// <summary>One transition's digest; <paramref name="changes"/> counts the events of each type recorded since <paramref name="since"/>, the last digest.</summary>
    public static DigestMessage Transition(DashboardView d, DigestSchedule schedule, DateTimeOffset? since, IReadOnlyDictionary<string, int> changes)
    {
        var doc = new Document();
        doc.Heading($"{d.Organisation}: {d.PercentDone}% done, {d.Remaining} remaining");
        doc.Line($"Phase {Common.Kebab.Name(d.Phase)}; forecast completion {d.Forecast.CompletionDate?.ToString("yyyy-MM-dd") ?? "not yet known"} ({d.Forecast.Basis}).");
        doc.Table("Progress", ["Category", "Done", "Total", "%"], d.Progress.Select(p => new[] { p.Category, $"{p.Done}", $"{p.Total}", $"{p.Percent}" }));
        Changes(doc, since, changes);
        doc.List("Alerts and risks", d.Alerts.Select(a => $"{a.Kind}: {a.Detail}").Concat(d.Risks.Take(10).Select(r => $"{r.Kind}, {r.Item}: {r.Detail}")));
        doc.Table("Waves", ["Wave", "State", "Completed", "Planned completion"], d.Waves.Select(w => new[]
            { w.Name, Common.Kebab.Name(w.State), $"{w.Mailboxes.Completed} of {w.Mailboxes.Total}", w.PlannedCompletion.ToString("yyyy-MM-dd") }));
        var cases = d.SupportCases;
        doc.Line($"Support cases: {cases.Open} open of {cases.Total}" + (cases.OldestOpenAgeDays is { } oldest ? $", the oldest open for {oldest} days" : "") +
                 $", {cases.AwaitingFirstResponse} awaiting a first response.");
        return doc.Message($"CloudTransition {Common.Kebab.Name(schedule)} digest — {d.Organisation}: {d.PercentDone}% done, {d.Remaining} remaining");
    }

    public static DigestMessage Portfolio(string tenant, IReadOnlyList<DashboardView> transitions, DigestSchedule schedule, DateTimeOffset? since,
        IReadOnlyDictionary<string, int> changes)
    {
        var doc = new Document();
        doc.Heading($"{transitions.Count} transition(s), {transitions.Sum(t => t.Remaining)} dependencies remaining");
        doc.Table("Transitions", ["Organisation", "Phase", "% done", "Remaining", "Late waves", "Alerts", "Forecast"], transitions.Select(t => new[]
        {
            t.Organisation, Common.Kebab.Name(t.Phase), $"{t.PercentDone}", $"{t.Remaining}", $"{t.Waves.Count(w => w.State == WaveState.Late)}", $"{t.Alerts.Count}",
            t.Forecast.CompletionDate?.ToString("yyyy-MM-dd") ?? "—",
        }));
        Changes(doc, since, changes);
        doc.List("Alerts", transitions.SelectMany(t => t.Alerts.Select(a => $"{t.Organisation}, {a.Kind}: {a.Detail}")));
        return doc.Message($"CloudTransition {Common.Kebab.Name(schedule)} digest — {tenant}: {transitions.Count} transition(s)");
    }

    private static void Changes(Document doc, DateTimeOffset? since, IReadOnlyDictionary<string, int> changes) =>
        doc.Table(since is null ? "Recorded so far" : $"Since the last digest ({since:u})", ["Event", "Count"],
            changes.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => new[] { c.Key, $"{c.Value}" }));

    /// <summary>Writes each part twice, as HTML (encoded) and as text.</summary>
    private sealed class Document
    {
        private readonly StringBuilder _html = new("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">"), _text = new();

        public void Heading(string text) => (_html, _text).Write($"<h1>{E(text)}</h1>", $"{text}\n{new string('=', text.Length)}\n");
        public void Line(string text) => (_html, _text).Write($"<p>{E(text)}</p>", $"\n{text}\n");

        public void List(string title, IEnumerable<string> items)
        {
            var all = items.ToList();
            (_html, _text).Write($"<h2>{E(title)}</h2>", $"\n{title}\n");
            if (all.Count == 0) { (_html, _text).Write("<p>None.</p>", "None.\n"); return; }
            (_html, _text).Write("<ul>" + string.Concat(all.Select(i => $"<li>{E(i)}</li>")) + "</ul>", string.Concat(all.Select(i => $"- {i}\n")));
        }

        public void Table(string title, string[] header, IEnumerable<string[]> rows)
        {
            var all = rows.ToList();
            (_html, _text).Write($"<h2>{E(title)}</h2>", $"\n{title}\n");
            if (all.Count == 0) { (_html, _text).Write("<p>None.</p>", "None.\n"); return; }
            _html.Append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr>")
                .Append(string.Concat(header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>")
                .Append(string.Concat(all.Select(r => "<tr>" + string.Concat(r.Select(c => $"<td>{E(c)}</td>")) + "</tr>"))).Append("</table>");
            _text.Append(string.Join(" | ", header)).Append('\n').Append(string.Concat(all.Select(r => string.Join(" | ", r) + "\n")));
        }

        public DigestMessage Message(string subject) => new(subject, _html + "</body></html>", _text.ToString());

        private static string E(string text) => WebUtility.HtmlEncode(text);
    }

    private static void Write(this (StringBuilder Html, StringBuilder Text) parts, string html, string text)
    {
        parts.Html.Append(html);
        parts.Text.Append(text);
    }
}

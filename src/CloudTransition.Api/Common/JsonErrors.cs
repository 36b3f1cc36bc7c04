using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudTransition.Api.Common;

/// <summary>
/// Turns a System.Text.Json failure into the field it concerns and a sentence a client can act on: the accepted
/// values of an enum, the expected shape of a value. The parser's own message names CLR types, so it is never shown.
/// </summary>
public static partial class JsonErrors
{
    /// <summary>The field (e.g. `endpoints[0].role`, or `body`) and what is wrong with it, for a body read as <paramref name="requestType"/>.</summary>
    public static (string Field, string Message) Describe(Type requestType, JsonException e)
    {
        var field = FieldOf(e.Path);
        if (e.Path is null or "$")
            return (field, e.BytePositionInLine is null ? "A JSON object is required." : $"Malformed JSON near byte {e.BytePositionInLine} of line {e.LineNumber + 1}.");
        if (NotUtf8(e)) return (field, $"{field} holds bytes that are not valid UTF-8.");
        if (e.Message.StartsWith("Duplicate", StringComparison.Ordinal)) return (field, $"{field} appears more than once in the object.");
        if (UnknownMember().Match(e.Message) is { Success: true } unknown) return Unknown(requestType, e.Path, unknown.Groups[1].Value);
        var target = TargetType(requestType, e.Path);
        if (target is null) return (field, "Malformed JSON or a value of the wrong type.");
        target = Nullable.GetUnderlyingType(target) ?? target;
        return (field, target switch
        {
            { IsEnum: true } => $"{field} must be one of: {Kebab.Allowed(target)}.",
            _ when target == typeof(DateTimeOffset) => "Expected an ISO-8601 instant with offset, e.g. 2026-05-04T09:30:00Z.",
            _ when target == typeof(DateOnly) => "Expected a date, e.g. 2026-12-31.",
            _ when target == typeof(bool) => "Expected true or false.",
            _ when target == typeof(string) => "Expected a string.",
            _ when target.IsPrimitive || target == typeof(decimal) => "Expected a number in range.",
            _ when target.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "Expected an array.",
            _ => "Expected an object.",
        });
    }

    /// <summary>A field the request does not have, with the one it most likely meant.</summary>
    private static (string Field, string Message) Unknown(Type requestType, string? path, string name)
    {
        // The path names the object holding the unknown field, or the field itself, depending on where the reader stopped.
        var at = path is null or "$" ? "" : FieldOf(path);
        var parent = at == name ? "" : at.EndsWith("." + name) ? at[..^(name.Length + 1)] : at;
        var owner = parent.Length == 0 ? requestType : TargetType(requestType, "$." + parent);
        owner = owner is null ? null : ElementType(owner) is { } element && owner != typeof(string) ? element : owner;
        var known = owner?.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList() ?? [];
        var meant = known.Where(k => Distance(k, name) <= 2).OrderBy(k => Distance(k, name)).FirstOrDefault();
        var field = parent.Length == 0 ? name : $"{parent}.{name}";
        return (field, $"'{name}' is not a field of this request{(meant is null ? "" : $"; did you mean '{meant}'?")}" +
                       (known.Count > 0 ? $" Fields: {string.Join(", ", known)}." : ""));
    }

    /// <summary>Edit distance, ignoring case: `occuredAt` is one edit from `occurredAt`.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1),
                    previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    private static bool NotUtf8(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Text.DecoderFallbackException || e.Message.Contains("UTF-8", StringComparison.Ordinal)) return true;
        return false;
    }

    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');

    /// <summary>Walks "$.endpoints[0].role" down the request type to the type that failed.</summary>
    private static Type? TargetType(Type type, string path)
    {
        Type? current = type;
        foreach (Match segment in Segment().Matches(path))
        {
            if (current is null) return null;
            if (segment.Value.StartsWith('[')) { current = ElementType(current); continue; }
            var name = segment.Value.TrimStart('.');
            current = current.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return current;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [GeneratedRegex(@"\.[A-Za-z0-9_]+|\[\d+\]")]
    private static partial Regex Segment();
}

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudTransition.Api.Common;

/// <summary>Enums travel as kebab-case strings (`user-mailbox`); query strings need the same parsing as bodies.</summary>
public static class Kebab
{
    public static string Name<T>(T value) where T : struct, Enum => Name(typeof(T), value.ToString());

    /// <summary>The wire name: an explicit [JsonStringEnumMemberName], else the kebab-case member name. Cached: views name thousands of items.</summary>
    public static string Name(Type enumType, string member) =>
        Names.GetOrAdd((enumType, member), static key => key.EnumType.GetField(key.Member)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.KebabCaseLower.ConvertName(key.Member));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type EnumType, string Member), string> Names = new();

    public static string Allowed(Type enumType) => string.Join(", ", Enum.GetNames(enumType).Select(n => Name(enumType, n)));

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) != text) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }

    public static string Allowed<T>() where T : struct, Enum => Allowed(typeof(T));
}

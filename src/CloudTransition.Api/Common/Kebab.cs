using System.Text.Json;

namespace CloudTransition.Api.Common;

/// <summary>Enums travel as kebab-case strings (`user-mailbox`); query strings need the same parsing as bodies.</summary>
public static class Kebab
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

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

    public static string Allowed<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Name));
}

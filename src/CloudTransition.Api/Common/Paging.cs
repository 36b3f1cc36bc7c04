using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudTransition.Api.Common;

/// <summary>
/// Where a page of a list ended: the sort key of its last item, bound to the list it came from (a transition's dependency
/// list, a tenant's portfolio) and protected, so a cursor that was changed or comes from another list is refused, not read.
/// </summary>
public sealed class Cursors(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CloudTransition.Cursors.v1");

    public string After(string list, params string[] key) => _protector.Protect(JsonSerializer.Serialize(new Position(list, key)));

    /// <summary>The key a cursor holds, or null when it is not one this list gave.</summary>
    public string[]? Read(string list, string cursor)
    {
        try
        {
            var position = JsonSerializer.Deserialize<Position>(_protector.Unprotect(cursor));
            return position?.List == list ? position.Key : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException) { return null; }
    }

    private sealed record Position(string List, string[] Key);
}

/// <summary>A page's size and where it starts, checked the same way on every list.</summary>
public sealed record Paging(int Limit, string[]? After)
{
    public const int DefaultLimit = 500, MaxLimit = 5000;

    /// <summary>The page asked for, or the problem naming `limit` or `after`.</summary>
    public static (Paging? Paging, ProblemHttpResult? Problem) Of(int? limit, string? after, Cursors cursors, string list, int keyLength)
    {
        if (limit is < 1 or > MaxLimit) return (null, Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}."));
        if (after is null) return (new Paging(limit ?? DefaultLimit, null), null);
        var key = after.Length <= 4096 ? cursors.Read(list, after) : null;
        if (key is null || key.Length != keyLength)
            return (null, Problem.Invalid("after", "after is not a cursor this list gave: pass the `next` of the page before, unchanged, to the same list."));
        return (new Paging(limit ?? DefaultLimit, key), null);
    }

    /// <summary>
    /// This page of a list already in its order (each item's key unique and rising): the items after the cursor, at most the limit;
    /// and, when more follow, a `Link` header with rel="next" (the same query with `after`), and the whole list's `X-Total-Count` on the answer.
    /// </summary>
    public IReadOnlyList<T> Cut<T>(IReadOnlyList<T> ordered, Func<T, string[]> key, Cursors cursors, string list, HttpContext http)
    {
        var rest = After is null ? ordered : ordered.Where(i => Compare(key(i), After) > 0).ToList();
        var page = rest.Take(Limit).ToList();
        http.Response.Headers["X-Total-Count"] = ordered.Count.ToString();
        if (rest.Count > Limit) http.Response.Headers.Link = $"<{NextUrl(http.Request, cursors.After(list, key(page[^1])))}>; rel=\"next\"";
        return page;
    }

    public static string NextUrl(HttpRequest request, string cursor)
    {
        var query = request.Query.Where(q => q.Key != "after").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"));
        return $"{request.PathBase}{request.Path}?{string.Join('&', query.Append($"after={Uri.EscapeDataString(cursor)}"))}";
    }

    private static int Compare(string[] a, string[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (string.CompareOrdinal(a[i], b[i]) is var c and not 0) return c;
        return a.Length.CompareTo(b.Length);
    }
}

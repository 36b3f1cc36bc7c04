using System.Security.Claims;
using System.Text.Json;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Security;

/// <summary>Who did something: an API key, or a person or application signed in with an identity provider.</summary>
/// <param name="Kind">`key`, `user` or `application`.</param>
/// <param name="Id">The key's id, or the person's or application's object id (`oid`, else `sub`) at the identity provider.</param>
/// <param name="Name">The key's name, or the display name.</param>
/// <param name="Upn">The person's user name (`preferred_username` or `upn`); null for keys and applications.</param>
public record Actor(string Kind, string Id, string Name, string? Upn)
{
    public const string Key = "key";
    public const string User = "user";
    public const string Application = "application";

    public override string ToString() => Upn is null ? $"{Kind} {Name} ({Id})" : $"{Name} <{Upn}> ({Id})";
}

/// <summary>The one place that turns credentials into a caller (claims), a caller into event headers, and headers back into an actor.</summary>
public static class Actors
{
    public const string KindClaim = "actor_kind";
    public const string IdClaim = "actor_id";
    public const string UpnClaim = "upn";
    public const string ProviderClaim = "provider";
    // Not `iss` and `aud`: the OpenID Connect handler deletes those from the principal after sign-in.
    public const string IssuerClaim = "provider_iss";
    public const string AudienceClaim = "provider_aud";
    private const string HeaderPrefix = "actor-";

    public static ClaimsPrincipal Principal(IReadOnlyList<Claim> token, Membership membership, string scheme)
    {
        string? Value(string type) => token.FirstOrDefault(c => c.Type == type)?.Value;
        var upn = Value("preferred_username") ?? Value("upn");
        var kind = upn is null || Value("idtyp") == "app" ? Actor.Application : Actor.User;
        var id = Value("oid") ?? Value("sub") ?? "";
        var name = Value("name") ?? upn ?? Value("azp") ?? Value("appid") ?? id;
        List<Claim> claims =
        [
            new(ApiKeyAuthentication.TenantClaim, membership.Tenant), new(ProviderClaim, membership.ProviderId),
            new(KindClaim, kind), new(IdClaim, id), new(ClaimTypes.Name, name), new(IssuerClaim, Value("iss") ?? ""),
        ];
        if (upn is not null) claims.Add(new Claim(UpnClaim, upn));
        if (membership.Role is { } role) claims.Add(new Claim(ClaimTypes.Role, role.ToString()));
        claims.AddRange(token.Where(c => c.Type == "aud").Select(c => new Claim(AudienceClaim, c.Value)));
        claims.AddRange(token.Where(c => c.Type is Memberships.RolesClaim or Memberships.GroupsClaim).Select(c => new Claim(c.Type, c.Value)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Actor Of(ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) is { } keyId
            ? new Actor(Actor.Key, keyId, user.Identity?.Name ?? "", null)
            : new Actor(user.FindFirstValue(KindClaim)!, user.FindFirstValue(IdClaim)!, user.Identity?.Name ?? "", user.FindFirstValue(UpnClaim));

    /// <summary>What rate limits and idempotency keys are counted per: one key, one person or one application.</summary>
    public static string CallerId(ClaimsPrincipal user) => Of(user) is var actor && actor.Kind == Actor.Key ? actor.Id : $"{actor.Kind}:{actor.Id}";

    public static IEnumerable<KeyValuePair<string, string>> Headers(Actor actor)
    {
        yield return new(HeaderPrefix + "kind", actor.Kind);
        yield return new(HeaderPrefix + "id", actor.Id);
        yield return new(HeaderPrefix + "name", actor.Name);
        if (actor.Upn is not null) yield return new(HeaderPrefix + "upn", actor.Upn);
        if (actor.Kind == Actor.Key) yield return new(ApiKeyAuthentication.KeyIdClaim, actor.Id);
    }

    /// <summary>The actor an event's headers name; events recorded before actors were (only a `key` header) name the key.</summary>
    public static Actor? FromHeaders(IDictionary<string, object>? headers)
    {
        string? Value(string name) => headers is not null && headers.TryGetValue(name, out var v) ? v switch
        {
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            string s => s,
            _ => v?.ToString(),
        } : null;
        if (Value(HeaderPrefix + "kind") is { } kind) return new Actor(kind, Value(HeaderPrefix + "id") ?? "", Value(HeaderPrefix + "name") ?? "", Value(HeaderPrefix + "upn"));
        return Value(ApiKeyAuthentication.KeyIdClaim) is { } key ? new Actor(Actor.Key, key, "", null) : null;
    }

    public static ApiRole? Role(ClaimsPrincipal user) => Enum.TryParse<ApiRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;
}

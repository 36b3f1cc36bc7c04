using System.Security.Claims;
using CloudTransition.Contracts;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

/// <summary>Who the caller is and what it may do.</summary>
/// <param name="Tenant">The tenant the caller's reads and writes belong to.</param>
/// <param name="Role">viewer (reads), contributor and automation (records), admin (also keys, sources, subscriptions and digests).</param>
/// <param name="Name">The key's name.</param>
/// <param name="KeyId">The key, as events and the timeline name it.</param>
/// <param name="MayRecord">Whether the caller may record events.</param>
/// <param name="MayAdminister">Whether the caller may manage the tenant's keys, webhook sources, subscriptions and digests.</param>
public record CallerView(string Tenant, ApiRole Role, string Name, string KeyId, bool MayRecord, bool MayAdminister);

public static class WhoAmIEndpoint
{
    [Tags("Security")]
    [WolverineGet("/api/me", OperationId = "getMe", Summary = "Who the caller is",
        Description = "The tenant and role of the key the request carries, and what that role may do; the dashboard page asks it to show what the key can use.")]
    public static CallerView Get(ClaimsPrincipal user)
    {
        var role = Enum.Parse<ApiRole>(user.FindFirstValue(ClaimTypes.Role)!);
        return new CallerView(user.Tenant(), role, user.Identity?.Name ?? "", user.KeyId(), role != ApiRole.Viewer, role == ApiRole.Admin);
    }
}

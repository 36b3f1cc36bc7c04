using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

public static class RevokeKeyEndpoint
{
    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineDelete("/api/keys/{id}", OperationId = "revokeKey", Summary = "Revoke an API key",
        Description = "The key stops working at once. Keys of other tenants answer 404 (platform admins may revoke any).")]
    public static async Task<Results<NoContent, NotFound>> Delete(string id, ClaimsPrincipal user, IDocumentSession session, TimeProvider time)
    {
        var key = await session.LoadAsync<ApiKey>(id);
        if (key is null || (key.TenantId != user.Tenant() && !user.IsPlatformAdmin())) return TypedResults.NotFound();
        key.RevokedAt ??= time.GetUtcNow();
        session.Store(key);
        return TypedResults.NoContent();
    }
}

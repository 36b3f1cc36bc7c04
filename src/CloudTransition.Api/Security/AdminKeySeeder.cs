using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Security;

/// <summary>Seeds CLOUDTRANSITION_ADMIN_KEY as an admin key of tenant 'default' (development and tests).</summary>
public class AdminKeySeeder(IDocumentStore store, IConfiguration configuration, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var key = configuration["CLOUDTRANSITION_ADMIN_KEY"];
        if (string.IsNullOrWhiteSpace(key)) return;

        var hash = ApiKey.HashOf(key);
        await using var session = store.LightweightSession();
        if (await session.Query<ApiKey>().AnyAsync(k => k.Hash == hash, ct)) return;
        session.Store(new Tenant { Id = SecurityDocuments.DefaultTenant, Name = "Default", CreatedAt = time.GetUtcNow() });
        session.Store(new ApiKey
        {
            Id = "key_seeded_admin", Hash = hash, TenantId = SecurityDocuments.DefaultTenant, Role = ApiRole.Admin,
            Name = "CLOUDTRANSITION_ADMIN_KEY", CreatedAt = time.GetUtcNow(),
        });
        await session.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

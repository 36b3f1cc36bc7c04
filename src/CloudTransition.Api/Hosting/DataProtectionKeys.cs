using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace CloudTransition.Api.Hosting;

/// <summary>A Data Protection key, stored in PostgreSQL so every replica shares the key ring.</summary>
public class DataProtectionKey
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// Data Protection keeps its key ring in the event store's database: secrets it protects (webhook secrets)
/// can be unprotected by any replica, and nothing else needs to be provisioned.
/// </summary>
public class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    // IXmlRepository is synchronous; it is called when the key ring is (re)loaded, not per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        return session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

public static class DataProtectionSetup
{
    public static void AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("CloudTransition");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new MartenXmlRepository(sp.GetRequiredService<IDocumentStore>())));
    }

    public static void AddDataProtectionDocuments(this StoreOptions opts) => opts.Schema.For<DataProtectionKey>().SingleTenanted();
}

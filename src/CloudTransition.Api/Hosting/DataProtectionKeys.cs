using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace CloudTransition.Api.Hosting;

/// <summary>A Data Protection key, stored in PostgreSQL so every replica shares the key ring; its secret part encrypted with <see cref="KeyEncryptionCertificates"/>.</summary>
public class DataProtectionKey
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// Data Protection keeps its key ring in the event store's database, so secrets it protects (webhook secrets) can be
/// unprotected by any replica. The ring's keys are encrypted with a certificate the database never holds: a dump
/// of the database alone decrypts nothing.
/// </summary>
public class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    // IXmlRepository is synchronous; it is called when the key ring is (re)loaded, not per request.
    public IReadOnlyCollection<XElement> GetAllElements() => Stored().Select(k => XElement.Parse(k.Xml)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }

    public IReadOnlyList<DataProtectionKey> Stored()
    {
        using var session = store.QuerySession();
        return session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
    }
}

public static class DataProtectionSetup
{
    public static void AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("CloudTransition");
        services.AddSingleton<KeyEncryptionCertificates>();
        // Options, not ProtectKeysWithCertificate: the certificate is loaded when the key ring is first used, so the
        // command line (db-apply, codegen, openapi) runs without one; the service itself checks it as it starts.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new MartenXmlRepository(sp.GetRequiredService<IDocumentStore>());
            o.XmlEncryptor = new KeyEncryptor(sp.GetRequiredService<KeyEncryptionCertificates>(), sp.GetRequiredService<ILoggerFactory>());
        }));
        services.AddHostedService<KeyRingRewrap>();
    }

    public static void AddDataProtectionDocuments(this StoreOptions opts) => opts.Schema.For<DataProtectionKey>().SingleTenanted();
}

/// <summary>
/// Runs as the service starts: refuses to start without a key-encryption certificate; encrypts keys stored in the
/// clear (before the ring was protected); and completes a rotation of the certificate, encrypting again with the
/// current certificate the keys still encrypted with a previous one, so a previous certificate is needed for one start.
/// </summary>
public class KeyRingRewrap(KeyEncryptionCertificates certificates, IDocumentStore store, IServiceProvider services,
    ILoggerFactory loggers, ILogger<KeyRingRewrap> logger) : IHostedService
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XNamespace XmlDsig = "http://www.w3.org/2000/09/xmldsig#";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = certificates.Current;
        var encryptor = new KeyEncryptor(certificates, loggers);
        var repository = new MartenXmlRepository(store);
        var changed = 0;
        foreach (var key in repository.Stored())
        {
            var xml = XElement.Parse(key.Xml);
            var plain = xml.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList();
            var stale = xml.Descendants(DataProtection + "encryptedSecret").Where(s => !EncryptedFor(s, current)).ToList();
            foreach (var element in plain) element.ReplaceWith(Wrapped(encryptor.Encrypt(element)));
            foreach (var secret in stale) secret.ReplaceWith(Wrapped(encryptor.Encrypt(new KeyDecryptor(services).Decrypt(secret.Elements().Single()))));
            if (plain.Count + stale.Count == 0) continue;
            repository.StoreElement(xml, key.Id);
            changed++;
        }
        if (changed > 0) logger.LogInformation("Encrypted {Count} Data Protection key(s) with the key-encryption certificate {Thumbprint}", changed, current.Thumbprint);
        return Task.CompletedTask;
    }

    /// <summary>The element Data Protection itself writes in place of a secret it encrypted.</summary>
    private static XElement Wrapped(EncryptedXmlInfo info) =>
        new(DataProtection + "encryptedSecret", new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement);

    private static bool EncryptedFor(XElement encryptedSecret, X509Certificate2 certificate) =>
        encryptedSecret.Descendants(XmlDsig + "X509Certificate").Any(c => c.Value == Convert.ToBase64String(certificate.RawData));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// The certificate that encrypts the Data Protection key ring (<c>DataProtection:CertificatePath</c>, a PFX with its
/// private key, e.g. mounted from a Kubernetes secret; <c>DataProtection:CertificatePassword</c> if it has one), and
/// the previous ones still accepted for decryption after a rotation (<c>DataProtection:PreviousCertificatePaths:0</c>, …).
/// Production refuses to start without one; Development, or <c>DataProtection:CreateCertificateIfMissing=true</c>,
/// creates a self-signed one at the path (default <c>.data/dataprotection-kek.pfx</c>).
/// </summary>
public class KeyEncryptionCertificates
{
    public const string DevelopmentPath = ".data/dataprotection-kek.pfx";
    private readonly Lazy<(X509Certificate2 Current, IReadOnlyList<X509Certificate2> All)> _loaded;

    public KeyEncryptionCertificates(IConfiguration configuration, IHostEnvironment environment) =>
        _loaded = new(() => Load(configuration, environment));

    public X509Certificate2 Current => _loaded.Value.Current;
    public IReadOnlyList<X509Certificate2> All => _loaded.Value.All;

    private static (X509Certificate2, IReadOnlyList<X509Certificate2>) Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("DataProtection");
        var password = section["CertificatePassword"];
        var mayCreate = environment.IsDevelopment() || section.GetValue("CreateCertificateIfMissing", false);
        var path = section["CertificatePath"] ?? (mayCreate ? Path.Combine(environment.ContentRootPath, DevelopmentPath) : throw Missing());
        if (!File.Exists(path))
        {
            if (!mayCreate) throw Missing($"DataProtection:CertificatePath is '{path}', and there is no file there. ");
            CreateSelfSigned(path, password);
        }
        var current = Open(path, password);
        var previous = section.GetSection("PreviousCertificatePaths").GetChildren().Select(p => Open(p.Value!, password));
        return (current, [current, .. previous]);
    }

    private static X509Certificate2 Open(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey ? certificate
            : throw new InvalidOperationException($"The key-encryption certificate '{path}' has no private key: export it as a PFX with its key.");
    }

    /// <summary>Creates a self-signed RSA certificate for development; if another process created one first, that one is kept.</summary>
    public static void CreateSelfSigned(string path, string? password)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=CloudTransition Data Protection (development)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, certificate.Export(X509ContentType.Pfx, password));
        try { File.Move(temporary, path, overwrite: false); }
        catch (IOException) when (File.Exists(path)) { File.Delete(temporary); }
    }

    private static InvalidOperationException Missing(string detail = "") => new(
        "Data Protection needs a key-encryption certificate that the database does not hold, or every webhook secret could be read from a " +
        $"database dump. {detail}Set DataProtection__CertificatePath to a PFX file with its private key (for Kubernetes, mount it from a secret: " +
        "see deploy/k8s) and DataProtection__CertificatePassword if it has one. To make one: openssl req -x509 -newkey rsa:3072 -nodes -days 3650 " +
        "-subj /CN=cloudtransition-dataprotection -keyout kek.key -out kek.crt && openssl pkcs12 -export -inkey kek.key -in kek.crt -out kek.pfx. " +
        "After a rotation, list the old file under DataProtection__PreviousCertificatePaths__0 for one start. Development (ASPNETCORE_ENVIRONMENT=Development) " +
        "or DataProtection__CreateCertificateIfMissing=true creates a self-signed one.");
}

/// <summary>Encrypts a key of the ring for the current certificate (XML Encryption, as ASP.NET's CertificateXmlEncryptor does).</summary>
public sealed class KeyEncryptor(KeyEncryptionCertificates certificates, ILoggerFactory loggers) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new CertificateXmlEncryptor(certificates.Current, loggers).Encrypt(plaintextElement).EncryptedElement, typeof(KeyDecryptor));
}

/// <summary>
/// Decrypts a key of the ring with whichever configured certificate (current or previous) it was encrypted for.
/// Data Protection creates it by its type name, written beside each encrypted key, with the service provider.
/// </summary>
public sealed class KeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        using (var reader = encryptedElement.CreateReader()) document.Load(reader);
        new WithCertificates(document, services.GetRequiredService<KeyEncryptionCertificates>().All).DecryptDocument();
        using var result = new XmlNodeReader(document);
        return XElement.Load(result);
    }

    private sealed class WithCertificates(XmlDocument document, IReadOnlyList<X509Certificate2> certificates) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            var named = encryptedKey.KeyInfo.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []);
            var certificate = named.Select(n => certificates.FirstOrDefault(c => c.Thumbprint == n.Thumbprint)).FirstOrDefault(c => c is not null)
                ?? throw new CryptographicException("The key ring's key was encrypted with a certificate that is not configured: " +
                                                    "list it under DataProtection:PreviousCertificatePaths.");
            using var rsa = certificate.GetRSAPrivateKey()!;
            return DecryptKey(encryptedKey.CipherData.CipherValue!, rsa, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
        }
    }
}

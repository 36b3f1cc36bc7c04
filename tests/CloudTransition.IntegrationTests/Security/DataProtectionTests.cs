using System.Security.Cryptography;
using System.Xml.Linq;
using Alba;
using CloudTransition.Api.Hosting;
using CloudTransition.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;
using Wolverine;

namespace CloudTransition.IntegrationTests.Security;

/// <summary>
/// The Data Protection key ring lives in PostgreSQL beside the secrets it protects, so its keys are encrypted with a
/// certificate the database never holds. Each test runs its own hosts on its own database, one after the other.
/// </summary>
public class DataProtectionTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ct-kek-" + Guid.NewGuid().ToString("N")[..8]);
    private const string Admin = "ct_dp_admin_0123456789abcdef";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create();
        Directory.CreateDirectory(_dir);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Certificate(string name)
    {
        var path = Path.Combine(_dir, name + ".pfx");
        if (!File.Exists(path)) KeyEncryptionCertificates.CreateSelfSigned(path, null);
        return path;
    }

    private Task<IAlbaHost> Host(string? certificate, string? previous = null, string environment = "Development") => AlbaHost.For<Program>(x =>
    {
        x.UseSetting("environment", environment);
        x.UseSetting("ConnectionStrings:Marten", _database.ConnectionString);
        x.UseSetting("CLOUDTRANSITION_ADMIN_KEY", Admin);
        if (certificate is not null) x.UseSetting("DataProtection:CertificatePath", certificate);
        if (previous is not null) x.UseSetting("DataProtection:PreviousCertificatePaths:0", previous);
        x.ConfigureTestServices(s =>
        {
            s.DisableAllExternalWolverineTransports();
            s.RunWolverineInSoloMode();
        });
    });

    /// <summary>Creates a tenant, a transition and a webhook source; answers a sender with the secret shown once.</summary>
    private static async Task<(WebhookSender Sender, string Transition)> Prepare(IAlbaHost host)
    {
        var api = new HostApi(host, Admin);
        var (sender, key, _) = await WebhookSender.ForNewTenant(api);
        return (sender, await api.StartTransition(key));
    }

    private static async Task<int> Deliver(IAlbaHost host, WebhookSender sender, string transition)
    {
        var reply = await new WebhookSender(new HostApi(host, Admin), sender.Tenant, sender.Source, sender.Secret)
            .Send(new { type = "blocker.raised", transitionId = transition, data = new { name = "BES", kind = "other", detail = "on EXCH01" } });
        return reply.Status;
    }

    [Fact]
    public async Task a_dump_of_the_database_alone_cannot_decrypt_a_webhook_secret()
    {
        var certificate = Certificate("current");
        await using (var host = await Host(certificate))
        {
            var (sender, transition) = await Prepare(host);
            Assert.Equal(200, await Deliver(host, sender, transition));
        }

        var (keys, protectedSecrets) = await Dump();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("encryptedSecret", k.ToString()));
        Assert.All(keys, k => Assert.DoesNotContain(k.Descendants(), e => e.Name.LocalName == "masterKey"));

        var dumpOnly = Provider(keys, certificate: null).CreateProtector("CloudTransition.WebhookSecrets.v1");
        Assert.ThrowsAny<CryptographicException>(() => dumpOnly.Unprotect(protectedSecrets[0]));
        // The same dump with the certificate reads it: the refusal above is the missing certificate, not a broken dump.
        var withCertificate = Provider(keys, certificate).CreateProtector("CloudTransition.WebhookSecrets.v1");
        Assert.StartsWith("whsec_", withCertificate.Unprotect(protectedSecrets[0]));
    }

    [Fact]
    public async Task a_restart_with_the_same_certificate_reads_the_secrets_and_a_rotation_keeps_them()
    {
        var (first, second, third) = (Certificate("first"), Certificate("second"), Certificate("third"));
        WebhookSender sender;
        string transition;
        await using (var host = await Host(first)) (sender, transition) = await Prepare(host);
        await using (var host = await Host(first)) Assert.Equal(200, await Deliver(host, sender, transition));

        // Rotation: the new certificate, and the previous one for this start only.
        await using (var host = await Host(second, previous: first)) Assert.Equal(200, await Deliver(host, sender, transition));
        var (keys, _) = await Dump();
        var secondDer = Convert.ToBase64String(new KeyEncryptionCertificates(Settings(second), Environment()).Current.RawData);
        Assert.All(keys, k => Assert.Contains(secondDer, k.ToString()));
        await using (var host = await Host(second)) Assert.Equal(200, await Deliver(host, sender, transition));

        // A certificate the ring was never encrypted for, without the one it was: the service refuses to start rather than lose the secrets.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Host(third));
        Assert.Contains("PreviousCertificatePaths", Flatten(refused));
    }

    [Fact]
    public async Task keys_stored_in_the_clear_before_are_encrypted_as_the_service_starts_and_still_read()
    {
        var certificate = Certificate("upgrade");
        // A key ring written by a service from before the ring was protected: its key in the clear, and a secret protected with it.
        var earlier = new Captured();
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName("CloudTransition").AddKeyManagementOptions(o => o.XmlRepository = earlier);
        var secret = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("CloudTransition.WebhookSecrets.v1").Protect("whsec_from_before");
        Assert.Contains(earlier.Elements, e => e.Descendants().Any(d => d.Name.LocalName == "masterKey"));

        await using (var host = await Host(certificate))
        {
            var store = host.Services.GetRequiredService<Marten.IDocumentStore>();
            foreach (var element in earlier.Elements) new MartenXmlRepository(store).StoreElement(element, (string)element.Attribute("id")!);
        }
        await using (var host = await Host(certificate))
        {
            var (keys, _) = await Dump();
            Assert.All(keys, k => Assert.DoesNotContain(k.Descendants(), e => e.Name.LocalName == "masterKey"));
            var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CloudTransition.WebhookSecrets.v1");
            Assert.Equal("whsec_from_before", protector.Unprotect(secret));
        }
    }

    private sealed class Captured : IXmlRepository
    {
        public List<XElement> Elements { get; } = [];
        public IReadOnlyCollection<XElement> GetAllElements() => Elements;
        public void StoreElement(XElement element, string friendlyName) => Elements.Add(element);
    }

    [Fact]
    public async Task production_refuses_to_start_without_a_certificate_and_says_how_to_set_one()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Host(certificate: null, environment: "Production"));
        Assert.Contains("DataProtection__CertificatePath", Flatten(refused));
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " " + Flatten(e.InnerException);

    /// <summary>What a database dump holds: the key ring's XML and the protected webhook secrets.</summary>
    private async Task<(List<XElement> Keys, List<string> Secrets)> Dump()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        var keys = new List<XElement>();
        await using (var command = new NpgsqlCommand("select data->>'xml' from cloudtransition.mt_doc_dataprotectionkey", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(XElement.Parse(reader.GetString(0)));
        var secrets = new List<string>();
        await using (var command = new NpgsqlCommand("select s->>'protected' from cloudtransition.mt_doc_webhooksource, jsonb_array_elements(data->'secrets') s", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) secrets.Add(reader.GetString(0));
        return (keys, secrets);
    }

    private static IDataProtectionProvider Provider(List<XElement> keys, string? certificate)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName("CloudTransition").AddKeyManagementOptions(o => o.XmlRepository = new Dumped(keys));
        if (certificate is not null) services.AddSingleton(new KeyEncryptionCertificates(Settings(certificate), Environment()));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static IConfiguration Settings(string certificate) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = certificate }).Build();

    private static IHostEnvironment Environment() => new HostingEnvironment { EnvironmentName = "Production", ContentRootPath = Path.GetTempPath() };

    private sealed class Dumped(List<XElement> keys) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => keys;
        public void StoreElement(XElement element, string friendlyName) => throw new InvalidOperationException("A dump is read-only.");
    }
}

using System.Diagnostics;
using CloudTransition.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace CloudTransition.IntegrationTests.Hosting;

/// <summary>No cluster runs here, so the manifests are checked against the app: ports, probes, variables, image, labels.</summary>
[Collection(ApiCollection.Name)]
public class KubernetesManifestTests(ApiFixture api)
{
    private static readonly string Dir = Path.Combine(TestDatabase.RepositoryRoot(), "deploy/k8s");
    private static readonly List<YamlMappingNode> Docs = Directory.GetFiles(Dir, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml")).SelectMany(Load).ToList();

    private static IEnumerable<YamlMappingNode> Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(file);
        yaml.Load(reader);
        return yaml.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    private static YamlMappingNode Kind(string kind) => Docs.Single(d => S(d, "kind") == kind);
    private static YamlNode N(YamlNode node, params string[] path) => path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key]);
    private static string S(YamlNode node, params string[] path) => ((YamlScalarNode)N(node, path)).Value!;
    private static IEnumerable<YamlNode> Seq(YamlNode node, params string[] path) => (YamlSequenceNode)N(node, path);
    private static Dictionary<string, string> Map(YamlNode node, params string[] path) =>
        ((YamlMappingNode)N(node, path)).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    private static YamlNode Container => Seq(Kind("Deployment"), "spec", "template", "spec", "containers").Single();

    [Fact]
    public async Task the_deployment_probes_routes_the_app_serves_on_the_port_it_listens_on()
    {
        var deployment = Kind("Deployment");
        Assert.Equal("3", S(deployment, "spec", "replicas"));
        var port = Seq(Container, "ports").Single();
        var listen = new Uri(Map(Kind("ConfigMap"), "data")["ASPNETCORE_URLS"].Replace("0.0.0.0", "localhost"));
        Assert.Equal(listen.Port.ToString(), S(port, "containerPort"));
        Assert.Equal(S(port, "name"), S(Seq(Kind("Service"), "spec", "ports").Single(), "targetPort"));
        Assert.Contains($"EXPOSE {listen.Port}", await File.ReadAllTextAsync(Path.Combine(TestDatabase.RepositoryRoot(), "deploy/Dockerfile")));

        Assert.Equal("/health/ready", S(Container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", S(Container, "livenessProbe", "httpGet", "path"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            Assert.Equal(S(port, "name"), S(Container, probe, "httpGet", "port"));
            Assert.Equal(200, (await api.Get(S(Container, probe, "httpGet", "path"), "")).Status);
        }
    }

    [Fact]
    public void pods_run_as_non_root_on_a_read_only_filesystem_with_limits()
    {
        var pod = N(Kind("Deployment"), "spec", "template", "spec");
        Assert.Equal("true", S(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("true", S(Container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", S(Container, "securityContext", "allowPrivilegeEscalation"));
        foreach (var kind in new[] { "requests", "limits" })
            Assert.True(Map(Container, "resources", kind).ContainsKey("memory") && Map(Container, "resources", kind).ContainsKey("cpu"));
    }

    [Fact]
    public void configuration_uses_the_variable_names_the_app_reads()
    {
        var config = Map(Kind("ConfigMap"), "data");
        var secret = Map(Kind("Secret"), "stringData");
        Assert.Contains("ConnectionStrings__Marten", secret.Keys);
        Assert.Contains("CLOUDTRANSITION_ADMIN_KEY", secret.Keys);
        Assert.Equal("false", config["CloudTransition__ApplySchemaOnStart"]);
        Assert.Equal("Auto", config["CloudTransition__CodeGeneration"]);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", config.Keys);
        var sources = Seq(Container, "envFrom").Select(e => e is YamlMappingNode m && m.Children.ContainsKey("configMapRef") ? S(e, "configMapRef", "name") : S(e, "secretRef", "name")).ToList();
        Assert.Equal([S(Kind("ConfigMap"), "metadata", "name"), S(Kind("Secret"), "metadata", "name")], sources);

        var appSettings = new[] { "src/CloudTransition.Api/Hosting/EventStore.cs", "src/CloudTransition.Api/Security/RateLimits.cs" }
            .Select(f => File.ReadAllText(Path.Combine(TestDatabase.RepositoryRoot(), f))).Aggregate((a, b) => a + b);
        foreach (var name in config.Keys.Where(k => k.StartsWith("CloudTransition__") || k.StartsWith("RateLimit__")))
            Assert.Contains($"\"{name.Replace("__", ":")}\"", appSettings);
    }

    [Fact]
    public void the_key_encryption_certificate_is_mounted_read_only_from_its_own_secret_where_the_app_looks_for_it()
    {
        var path = Map(Kind("ConfigMap"), "data")["DataProtection__CertificatePath"];
        var mount = Seq(Container, "volumeMounts").Single(m => S(m, "name") == "dataprotection");
        Assert.Equal(Path.GetDirectoryName(path), S(mount, "mountPath"));
        Assert.Equal("true", S(mount, "readOnly"));
        var volume = Seq(N(Kind("Deployment"), "spec", "template", "spec"), "volumes").Single(v => S(v, "name") == "dataprotection");
        Assert.Equal("cloudtransition-dataprotection", S(volume, "secret", "secretName"));
        Assert.Contains("DataProtection__CertificatePassword", Map(Kind("Secret"), "stringData").Keys);
        var settings = File.ReadAllText(Path.Combine(TestDatabase.RepositoryRoot(), "src/CloudTransition.Api/Hosting/KeyEncryptionCertificates.cs"));
        Assert.Contains("\"CertificatePath\"", settings);
        Assert.Contains("\"CertificatePassword\"", settings);
    }

    [Fact]
    public void selectors_match_the_pod_labels_and_the_job_uses_the_same_image()
    {
        var labels = Map(Kind("Deployment"), "spec", "template", "metadata", "labels");
        foreach (var selector in new[] { Map(Kind("Deployment"), "spec", "selector", "matchLabels"), Map(Kind("Service"), "spec", "selector"),
                     Map(Kind("PodDisruptionBudget"), "spec", "selector", "matchLabels") })
            Assert.All(selector, s => Assert.Equal(s.Value, labels[s.Key]));
        var job = N(Kind("Job"), "spec", "template", "spec");
        var jobContainer = Seq(job, "containers").Single();
        Assert.Equal(S(Container, "image"), S(jobContainer, "image"));
        Assert.Equal(["db-apply"], Seq(jobContainer, "args").Select(a => ((YamlScalarNode)a).Value));
        Assert.Equal("true", S(job, "securityContext", "runAsNonRoot"));
        Assert.Equal("2", S(Kind("PodDisruptionBudget"), "spec", "minAvailable"));
    }

    [Fact]
    public async Task db_apply_is_a_command_of_the_app()
    {
        var root = TestDatabase.RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/") ? "Release" : "Debug";
        using var help = Process.Start(new ProcessStartInfo("dotnet", ["exec", Path.Combine(root, "src/CloudTransition.Api/bin", configuration, "net10.0/CloudTransition.Api.dll"), "help"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(root, "src/CloudTransition.Api"),
        })!;
        var output = await help.StandardOutput.ReadToEndAsync();
        await help.WaitForExitAsync();
        Assert.Contains("db-apply", output);
        Assert.Contains("codegen", output);
    }
}

using CloudTransition.IntegrationTests.Fixtures;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace CloudTransition.IntegrationTests.Hosting;

/// <summary>No Docker engine runs here, so the compose file and Dockerfile are checked against the app instead.</summary>
[Collection(ApiCollection.Name)]
public class ComposeFileTests(ApiFixture api)
{
    private static readonly string Root = TestDatabase.RepositoryRoot();
    private readonly YamlMappingNode _services = (YamlMappingNode)Load("docker-compose.yml")["services"];

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services[name];
    private static string Text(YamlNode node, params string[] path) =>
        ((YamlScalarNode)path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key])).Value!;

    [Fact]
    public void the_api_is_built_by_the_dockerfile_in_deploy()
    {
        var dockerfile = Text(Service("api"), "build", "dockerfile");
        Assert.Equal("deploy/Dockerfile", dockerfile);
        var content = File.ReadAllText(Path.Combine(Root, dockerfile));
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0 AS build", content);
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:10.0", content);
        Assert.Contains("USER app", content);
        Assert.Contains("src/CloudTransition.Api/CloudTransition.Api.csproj", content);
    }

    [Fact]
    public void the_connection_string_points_at_the_compose_database()
    {
        var connection = new NpgsqlConnectionStringBuilder(Text(Service("api"), "environment", "ConnectionStrings__Marten"));
        var postgres = Service("postgres");
        Assert.True(_services.Children.ContainsKey(connection.Host!), $"no service named {connection.Host}");
        Assert.Equal(Text(postgres, "environment", "POSTGRES_DB"), connection.Database);
        Assert.Equal(Text(postgres, "environment", "POSTGRES_USER"), connection.Username);
        Assert.Equal(Text(postgres, "environment", "POSTGRES_PASSWORD"), connection.Password);
        Assert.Equal(5432, connection.Port);
    }

    [Fact]
    public void the_published_port_is_the_one_the_api_listens_on()
    {
        var url = new Uri(Text(Service("api"), "environment", "ASPNETCORE_URLS").Replace("0.0.0.0", "localhost"));
        var mapping = ((YamlScalarNode)((YamlSequenceNode)Service("api")["ports"])[0]).Value!;
        Assert.Equal(url.Port.ToString(), mapping.Split(':')[^1]);
        Assert.Contains($"EXPOSE {url.Port}", File.ReadAllText(Path.Combine(Root, "deploy/Dockerfile")));
    }

    [Fact]
    public async Task the_health_checks_use_routes_the_app_serves_and_the_api_waits_for_a_healthy_database()
    {
        var test = string.Join(" ", ((YamlSequenceNode)Service("api")["healthcheck"]["test"]).Select(n => ((YamlScalarNode)n).Value));
        var path = new Uri(test.Split(' ').First(w => w.StartsWith("http"))).AbsolutePath;
        Assert.Equal(200, (await api.Get(path, key: "")).Status);
        Assert.Equal("service_healthy", Text(Service("api"), "depends_on", "postgres", "condition"));
        Assert.NotNull(Service("postgres")["healthcheck"]);
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}

namespace CloudTransition.IdentityProvider;

/// <summary>
/// Runs the provider for a developer: <c>dotnet run --project tests/CloudTransition.IdentityProvider -- --urls http://127.0.0.1:5100</c>
/// (only the port of <c>--urls</c> is used; the issuer is always <c>http://localhost:&lt;port&gt;/</c>). Default port 5100.
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var urls = new ConfigurationBuilder().AddCommandLine(args).Build()["urls"];
        var port = urls is null ? 5100 : new Uri(urls.Split(';')[0].Replace("://*", "://localhost").Replace("://+", "://localhost")).Port;

        await using var host = await IdentityProviderHost.StartAsync(new IdentityProviderSettings { Port = port }, LogLevel.Information);
        Console.WriteLine($"Identity provider: {host.Issuer} (signing key {host.SigningKeyId}). Users: " +
            string.Join(", ", host.Settings.Users.Select(u => $"{u.Username}/{u.Password}")) + ". Ctrl+C to stop.");
        await host.WaitForShutdownAsync();
    }
}

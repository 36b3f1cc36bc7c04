namespace CloudTransition.IntegrationTests.Contract;

/// <summary>The console program that drives a Kiota client generated from the committed contract: the README's first calls, typed.</summary>
public static class GeneratedClient
{
    public const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <!-- Generated code: its style is Kiota's, not ours. -->
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
            <NoWarn>$(NoWarn);CS1591;CS8618;CS8601;CS8602;CS8603;CS8604</NoWarn>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.Kiota.Abstractions" />
            <PackageReference Include="Microsoft.Kiota.Http.HttpClientLibrary" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Json" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Text" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Form" />
            <PackageReference Include="Microsoft.Kiota.Serialization.Multipart" />
          </ItemGroup>
        </Project>
        """;

    public const string Program = """
        using CloudTransition.Client;
        using CloudTransition.Client.Models;
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;

        var (url, key) = (args[0], args[1]);
        var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var client = new CloudTransitionClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = url });

        var created = await client.Api.Transitions.PostAsync(new StartTransition { Organisation = "Contoso", Domains = ["contoso.com"] });
        var transition = client.Api.Transitions[created!.Id!];
        var inventory = await transition.Mailboxes.PostAsync(new() { InventoryMailbox =
        [
            new() { Address = "ann@contoso.com", Kind = InventoryMailbox_kind.UserMailbox },
            new() { Address = "boardroom@contoso.com", Kind = InventoryMailbox_kind.ResourceMailbox },
        ] });
        var moved = await transition.Mailboxes["ann@contoso.com"].Move.PostAsync(new MoveMailbox { Status = MoveMailbox_status.Completed });
        // As of now: folded from the events, so the answer does not wait for the asynchronous view to catch up.
        var now = DateTimeOffset.UtcNow;
        var dependencies = await transition.Dependencies.GetAsync(c => c.QueryParameters.AsOf = now);
        var dashboard = await transition.Dashboard.GetAsync(c => c.QueryParameters.AsOf = now);
        Console.WriteLine($"stored={inventory!.Stored} moved={moved!.Status} remaining={dependencies!.Total} exchange={dependencies.ExchangeCanBeDecommissioned} percent={dashboard!.PercentDone}");
        """;
}

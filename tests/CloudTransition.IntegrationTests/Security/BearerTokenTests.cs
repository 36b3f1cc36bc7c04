using System.Text.Json.Nodes;
using CloudTransition.IdentityProvider;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Security;

/// <summary>
/// A host that accepts identity providers on http and loopback (the OpenIddict provider the tests start there). Its requests to a
/// provider may take a minute: twice (once in CI, once locally, each time the first registration of a run's first sign-in test),
/// connecting to the provider on loopback did not complete within the service's 10 s while this process started other hosts.
/// </summary>
public class SignInFixture : ApiFixture
{
    protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder host)
    {
        host.UseSetting("SignIn:AllowHttp", "true");
        host.UseSetting("SignIn:AllowPrivateNetworks", "true");
        host.UseSetting("SignIn:ProviderTimeout", "00:01:00");
    }
}

/// <summary>
/// Tokens a real OpenID Connect provider issued (OpenIddict on loopback, one per test so each has its own issuer), presented
/// as `Authorization: Bearer` to the API: who the caller is, what they may do, and every way a token is refused.
/// </summary>
public class BearerTokenTests(SignInFixture api) : IClassFixture<SignInFixture>
{
    private static readonly Dictionary<string, string> Roles = new()
    {
        [IdentityProviderUser.AdminRole] = "admin", [IdentityProviderUser.ViewerRole] = "viewer", [IdentityProviderClient.AutomationRole] = "automation",
    };

    private async Task<(string Tenant, string AdminKey)> TenantAccepting(IdentityProviderHost idp, IReadOnlyDictionary<string, string>? roles = null, string? audience = "api://cloudtransition")
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(201, (await api.Post("/api/tenants", new { id = tenant, name = tenant })).Status);
        var key = await api.KeyFor(tenant, "admin");
        var registered = await api.Post($"/api/tenants/{tenant}/identity-providers",
            new { authority = idp.Issuer, clientId = IdentityProviderClient.Web.ClientId, clientSecret = IdentityProviderClient.Web.ClientSecret, audience, roles = roles ?? Roles }, key);
        Assert.True(registered.Status == 201, registered.ToString());
        return (tenant, key);
    }

    private static Task<IdentityProviderHost> Provider(int port = 0) => IdentityProviderHost.StartAsync(new IdentityProviderSettings { Port = port });

    [Fact]
    public async Task a_registration_reads_the_discovery_document_and_names_the_redirect_uri_to_register()
    {
        await using var idp = await Provider();
        var (tenant, key) = await TenantAccepting(idp);
        var listed = (await api.Get($"/api/tenants/{tenant}/identity-providers", key)).Json.AsArray().Single()!;
        var id = listed["id"]!.GetValue<string>();
        Assert.Equal(idp.Issuer, listed["issuer"]!.GetValue<string>());
        Assert.True(listed["hasClientSecret"]!.GetValue<bool>());
        Assert.DoesNotContain("web-secret", listed.ToJsonString());
        Assert.EndsWith($"/signin-oidc/{id}", listed["redirectUri"]!.GetValue<string>());
        Assert.Equal(200, (await api.Get($"/api/tenants/{tenant}/identity-providers/{id}", key)).Status);

        var updated = await api.Put($"/api/tenants/{tenant}/identity-providers/{id}",
            new { authority = idp.Issuer, clientId = IdentityProviderClient.Web.ClientId, audience = "api://cloudtransition", roles = new Dictionary<string, string> { [IdentityProviderUser.ViewerRole] = "contributor" } }, key);
        Assert.True(updated.Status == 200, updated.ToString());
        Assert.True(updated.Json["hasClientSecret"]!.GetValue<bool>()); // an absent secret keeps the stored one
        Assert.Equal("contributor", updated.Json["roles"]![IdentityProviderUser.ViewerRole]!.GetValue<string>());
        Assert.Equal(204, (await api.Delete($"/api/tenants/{tenant}/identity-providers/{id}", key)).Status);
        (await api.Get($"/api/tenants/{tenant}/identity-providers/{id}", key)).ShouldBeProblem(404);
    }

    [Fact]
    public async Task bad_registrations_are_refused_naming_the_field()
    {
        await using var idp = await Provider();
        var (tenant, key) = await TenantAccepting(idp);
        var url = $"/api/tenants/{tenant}/identity-providers";
        object Body(string authority, object roles) => new { authority, clientId = "c", roles };
        var mapped = new Dictionary<string, string> { ["r"] = "viewer" };
        (await api.Post(url, Body("login.microsoftonline.com", mapped), key)).ShouldBeProblem(400, "authority");
        var nobody = await api.Post(url, Body($"http://localhost:{ApiProcess.FreePort()}/", mapped), key);
        nobody.ShouldBeProblem(400, "authority");
        Assert.Contains("Connection refused", nobody.Body); // the cause, not only that it failed
        // The same provider reached by another name: its document names another issuer than the authority it was read from.
        var spoofed = await api.Post(url, Body(idp.Issuer.Replace("localhost", "127.0.0.1"), mapped), key);
        spoofed.ShouldBeProblem(400, "authority");
        Assert.Contains("names the issuer", spoofed.Body);
        (await api.Post(url, Body(idp.Issuer, new Dictionary<string, string>()), key)).ShouldBeProblem(400, "roles");
        (await api.Post(url, Body(idp.Issuer, new Dictionary<string, string> { ["r"] = "boss" }), key)).ShouldBeProblem(400);
        (await api.Post(url, new { authority = idp.Issuer, clientId = "c", roles = mapped, tenant = "x" }, key)).ShouldBeProblem(400);
        (await api.Post(url, new { authority = idp.Issuer, clientId = IdentityProviderClient.Web.ClientId, audience = "api://cloudtransition", roles = mapped }, key)).ShouldBeProblem(409);

        var otherAdmin = await api.TenantWithKey("admin");
        (await api.Post(url, Body(idp.Issuer, mapped), otherAdmin)).ShouldBeProblem(404);
        (await api.Get(url, otherAdmin)).ShouldBeProblem(404);
        (await api.Post(url, Body(idp.Issuer, mapped), await api.KeyFor(tenant, "contributor"))).ShouldBeProblem(403);
        Assert.Single((await api.Get(url, key)).Json.AsArray()); // nothing refused was stored
    }

    [Fact]
    public async Task a_persons_token_acts_as_that_person_and_the_events_say_who()
    {
        await using var idp = await Provider();
        var (tenant, _) = await TenantAccepting(idp);
        var alice = await idp.PasswordTokenAsync("alice", "alice-pass");

        var me = (await api.Get("/api/me", alice)).Json;
        Assert.Equal(tenant, me["tenant"]!.GetValue<string>());
        Assert.Equal("admin", me["role"]!.GetValue<string>());
        Assert.Null(me["keyId"]);
        Assert.Equal("user", me["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(IdentityProviderUser.Alice.ObjectId.ToString(), me["actor"]!["id"]!.GetValue<string>());
        Assert.Equal("alice@contoso.example", me["actor"]!["upn"]!.GetValue<string>());

        var transition = await api.StartTransition(alice);
        var first = (await api.Get($"/api/transitions/{transition}/timeline", alice)).Json["items"]![0]!;
        Assert.Equal(IdentityProviderUser.Alice.ObjectId.ToString(), first["actor"]!["id"]!.GetValue<string>());
        Assert.Equal("Alice Admin", first["actor"]!["name"]!.GetValue<string>());
        var csv = await api.Send("GET", $"/api/transitions/{transition}/timeline?format=csv", null, alice);
        Assert.Contains("Alice Admin <alice@contoso.example>", csv.Body);

        var bob = await idp.PasswordTokenAsync("bob", "bob-pass");
        Assert.Equal(200, (await api.Get($"/api/transitions/{transition}", bob)).Status);
        (await api.Post("/api/transitions", new { organisation = "X", domains = new[] { "x.com" } }, bob)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task an_applications_token_works_like_a_key_and_a_group_can_give_the_role()
    {
        await using var idp = await Provider();
        var roles = new Dictionary<string, string>(Roles) { [IdentityProviderUser.OperatorsGroupId] = "contributor" };
        await TenantAccepting(idp, roles);
        var app = await idp.ClientCredentialsTokenAsync(IdentityProviderClient.Automation.ClientId, IdentityProviderClient.Automation.ClientSecret);
        var transition = await api.StartTransition(app);
        var first = (await api.Get($"/api/transitions/{transition}/timeline", app)).Json["items"]![0]!;
        Assert.Equal("application", first["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(IdentityProviderClient.Automation.ObjectId.ToString(), first["actor"]!["id"]!.GetValue<string>());

        var carol = await idp.PasswordTokenAsync("carol", "carol-pass");
        Assert.Equal("contributor", (await api.Get("/api/me", carol)).Json["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_token_whose_roles_the_tenant_does_not_map_is_403()
    {
        await using var idp = await Provider();
        await TenantAccepting(idp, new Dictionary<string, string> { [IdentityProviderUser.AdminRole] = "admin" });
        var bob = await idp.PasswordTokenAsync("bob", "bob-pass");
        (await api.Get("/api/me", bob)).ShouldBeProblem(403);
        (await api.Get("/api/transitions", bob)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task expired_tampered_foreign_and_misdirected_tokens_are_401_with_the_reason()
    {
        await using var idp = await Provider();
        var (tenant, _) = await TenantAccepting(idp);
        idp.ClockOffset = TimeSpan.FromHours(-3); // issued 3 hours ago, for an hour: expired well beyond the 2 minutes' skew
        var expired = await idp.PasswordTokenAsync("alice", "alice-pass");
        idp.ClockOffset = TimeSpan.Zero;
        Unauthorized(await api.Get("/api/me", expired), "expired");

        var valid = await idp.PasswordTokenAsync("alice", "alice-pass");
        var parts = valid.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        Unauthorized(await api.Get("/api/me", tampered), "signature");
        var forgedPayload = $"{parts[0]}.{parts[1][..^2]}{(parts[1][^2] == 'A' ? 'B' : 'A')}{parts[1][^1]}.{parts[2]}";
        Unauthorized(await api.Get("/api/me", forgedPayload), "");

        await using var stranger = await Provider();
        Unauthorized(await api.Get("/api/me", await stranger.PasswordTokenAsync("alice", "alice-pass")), "issuer");

        await using var elsewhere = await Provider();
        await TenantAccepting(elsewhere, audience: "api://another-app");
        var misdirected = await elsewhere.ClientCredentialsTokenAsync(IdentityProviderClient.Automation.ClientId, IdentityProviderClient.Automation.ClientSecret);
        Unauthorized(await api.Get("/api/me", misdirected), "audience");

        var otherTenant = await api.TenantWithKey("admin");
        var otherId = (await api.Get("/api/me", otherTenant)).Json["tenant"]!.GetValue<string>();
        Unauthorized(await api.Send("GET", "/api/me", null, valid, headers: new Dictionary<string, string> { ["X-Tenant-Id"] = otherId }), otherId);
        Assert.Equal(tenant, (await api.Get("/api/me", valid)).Json["tenant"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_partners_provider_serves_several_tenants_and_the_caller_names_one()
    {
        await using var idp = await Provider();
        var (first, _) = await TenantAccepting(idp);
        var (second, _) = await TenantAccepting(idp);
        var alice = await idp.PasswordTokenAsync("alice", "alice-pass");
        // Without a header, the tenant that registered the provider first: registering it later elsewhere redirects no one.
        Assert.Equal(first, (await api.Get("/api/me", alice)).Json["tenant"]!.GetValue<string>());
        foreach (var tenant in new[] { first, second })
        {
            var me = await api.Send("GET", "/api/me", null, alice, headers: new Dictionary<string, string> { ["X-Tenant-Id"] = tenant });
            Assert.Equal(tenant, me.Json["tenant"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task a_rotated_signing_key_is_fetched_when_a_token_names_it()
    {
        var port = ApiProcess.FreePort();
        var before = await Provider(port);
        await TenantAccepting(before);
        var old = await before.PasswordTokenAsync("alice", "alice-pass");
        Assert.Equal(200, (await api.Get("/api/me", old)).Status);
        await before.DisposeAsync();

        await using var after = await Provider(port); // the same issuer, a new key
        Assert.NotEqual(before.SigningKeyId, after.SigningKeyId);
        var rotated = await after.PasswordTokenAsync("alice", "alice-pass");
        var me = await api.Get("/api/me", rotated);
        Assert.True(me.Status == 200, me.ToString());
        Unauthorized(await api.Get("/api/me", old), "signature"); // the provider no longer publishes the old key
    }

    [Fact]
    public async Task each_role_a_token_carries_reaches_only_what_it_may()
    {
        await using var idp = await Provider();
        var (tenant, values) = await AccessTests.TenantWithItems(api);
        var roles = new Dictionary<string, string>(Roles) { [IdentityProviderUser.OperatorsGroupId] = "contributor" };
        Assert.Equal(201, (await api.Post($"/api/tenants/{tenant}/identity-providers",
            new { authority = idp.Issuer, clientId = IdentityProviderClient.Web.ClientId, audience = "api://cloudtransition", roles })).Status);
        await AccessTests.ReachesOnlyWhatItMay(api, values, await idp.PasswordTokenAsync("alice", "alice-pass"), "admin");
        await AccessTests.ReachesOnlyWhatItMay(api, values, await idp.PasswordTokenAsync("bob", "bob-pass"), "viewer");
        await AccessTests.ReachesOnlyWhatItMay(api, values, await idp.PasswordTokenAsync("carol", "carol-pass"), "contributor");
        await AccessTests.ReachesOnlyWhatItMay(api, values,
            await idp.ClientCredentialsTokenAsync(IdentityProviderClient.Automation.ClientId, IdentityProviderClient.Automation.ClientSecret), "automation");
    }

    /// <summary>Generated bearer credentials that look like JWTs — mangled, re-signed with `alg: none`, truncated, huge, not UTF-8 — are 401 problems, never 5xx.</summary>
    [Fact]
    public async Task generated_tokens_are_refused_never_a_failure()
    {
        await using var idp = await Provider();
        await TenantAccepting(idp);
        var valid = await idp.PasswordTokenAsync("alice", "alice-pass");
        var parts = valid.Split('.');
        string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var headers = new[] { parts[0], B64("""{"alg":"none","typ":"JWT"}"""), B64("""{"alg":"HS256","kid":"x"}"""), B64("{"), B64("""{"alg":"RS256","kid":"../../etc"}"""), "eyJ" };
        var payloads = new[] { parts[1], B64($$"""{"iss":"{{idp.Issuer}}","aud":"api://cloudtransition","exp":4102444800,"roles":["CloudTransition.Admin"]}"""), B64("[]"), B64("null"), "" , "%%%",
            B64("{\"iss\":\"é\\r\\nX-Injected: 1\"}"), B64("{\"iss\":42}") };
        var gen = CsCheck.Gen.Select(CsCheck.Gen.Int[0, headers.Length - 1], CsCheck.Gen.Int[0, payloads.Length - 1], CsCheck.Gen.String, CsCheck.Gen.Int[0, 4]);
        var failures = new List<string>();
        await CsCheck.Check.SampleAsync(gen, async t =>
        {
            var (h, p, noise, shape) = t;
            var signature = shape switch { 0 => parts[2], 1 => "", 2 => B64(noise), 3 => parts[2][..(parts[2].Length / 2)], _ => new string('A', 20_000) };
            var token = $"{headers[h]}.{payloads[p]}.{signature}";
            if (token == valid) return;
            var reply = await api.Get("/api/me", token);
            if (reply.Status != 401 || !reply.ContentType.StartsWith("application/problem+json")) failures.Add($"{token[..Math.Min(120, token.Length)]}: {reply}");
        }, iter: 400, threads: 1);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
    }

    private static void Unauthorized(Reply reply, string reason)
    {
        reply.ShouldBeProblem(401);
        Assert.Contains(reason, reply.Json["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Bearer", reply.Headers["WWW-Authenticate"]);
    }
}

/// <summary>A host with the default: identity providers only at public addresses (http allowed here, to reach the test's provider at all).</summary>
public class PublicProvidersOnlyFixture : ApiFixture
{
    protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder host) => host.UseSetting("SignIn:AllowHttp", "true");
}

public class IdentityProviderTargetTests(PublicProvidersOnlyFixture api) : IClassFixture<PublicProvidersOnlyFixture>
{
    [Fact]
    public async Task an_authority_on_loopback_or_a_private_network_is_refused_by_default()
    {
        await using var idp = await IdentityProviderHost.StartAsync(new IdentityProviderSettings());
        var key = await api.TenantWithKey("admin");
        var tenant = (await api.Get("/api/me", key)).Json["tenant"]!.GetValue<string>();
        var refused = await api.Post($"/api/tenants/{tenant}/identity-providers",
            new { authority = idp.Issuer, clientId = "c", roles = new Dictionary<string, string> { ["r"] = "viewer" } }, key);
        refused.ShouldBeProblem(400, "authority");
        Assert.Contains("SignIn__AllowPrivateNetworks", refused.Body);
    }
}

using System.Security.Claims;
using System.Text.Json;
using CloudTransition.Api.Security;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Security;

public class MembershipsTests
{
    private static readonly IdentityProvider Provider = new()
    {
        Id = "idp_1", TenantId = "contoso", ClientId = "web",
        Roles = new() { ["CT.Viewer"] = ApiRole.Viewer, ["CT.Admin"] = ApiRole.Admin, ["group-ops"] = ApiRole.Contributor },
    };

    [Fact]
    public void the_highest_mapped_role_or_group_wins() =>
        Assert.Equal(ApiRole.Admin, Memberships.Of(Provider, ["CT.Viewer", "unknown", "CT.Admin", "group-ops"]).Role);

    [Fact]
    public void nothing_mapped_gives_a_membership_without_a_role() =>
        Assert.Null(Memberships.Of(Provider, ["CT.Viewer.Extra", "ct.admin"]).Role); // values are compared exactly, as Entra ID issues them

    [Fact]
    public void a_persons_token_becomes_a_user_and_an_app_only_token_an_application()
    {
        Claim[] person = [new("iss", "https://idp/"), new("oid", "o-1"), new("sub", "s-1"), new("name", "Ann"), new("preferred_username", "ann@abc.com"), new("aud", "web"), new("roles", "CT.Admin")];
        var user = Actors.Principal(person, new Membership("contoso", ApiRole.Admin, "idp_1"), "test");
        Assert.Equal(new Actor(Actor.User, "o-1", "Ann", "ann@abc.com"), Actors.Of(user));
        Assert.Equal("contoso", user.Tenant());
        Assert.True(user.IsInRole("Admin"));

        Claim[] app = [new("iss", "https://idp/"), new("sub", "app-client"), new("azp", "app-client"), new("aud", "web")];
        var application = Actors.Of(Actors.Principal(app, new Membership("contoso", null, "idp_1"), "test"));
        Assert.Equal(new Actor(Actor.Application, "app-client", "app-client", null), application);
    }

    [Fact]
    public void an_actor_goes_into_event_headers_and_comes_back_as_stored_json()
    {
        var actor = new Actor(Actor.User, "o-1", "Ann", "ann@abc.com");
        var stored = JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.Serialize(Actors.Headers(actor).ToDictionary(h => h.Key, h => (object)h.Value)));
        Assert.Equal(actor, Actors.FromHeaders(stored));
        Assert.Equal(new Actor(Actor.Key, "key_1", "", null), Actors.FromHeaders(new Dictionary<string, object> { ["key"] = "key_1" })); // before actors were recorded
        Assert.Null(Actors.FromHeaders(new Dictionary<string, object> { ["source"] = "webhook:script" }));
    }
}

public class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/#/t/abc?asOf=2026-10-05", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("/\t/evil.example", false)] // a browser drops the tab and goes to //evil.example
    [InlineData("/\n/evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    public void only_paths_on_this_site_are_returned_to(string url, bool local) => Assert.Equal(local, SignInEndpoints.IsLocal(url));
}

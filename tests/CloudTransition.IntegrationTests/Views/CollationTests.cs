using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Views;

/// <summary>
/// A database whose collation ignores punctuation (ICU's en-US with alternate=shifted): there "{id}/mailbox/…" does not sort
/// between "{id}/" and "{id}0", so the as-of fold must find a transition's item streams another way than by that range.
/// </summary>
public class LinguisticCollationFixture : ApiFixture
{
    protected override Task<TestDatabase> CreateDatabase() =>
        TestDatabase.Create("template template0 locale_provider icu icu_locale 'en-US-u-ka-shifted' locale 'C.UTF-8'");
}

public class CollationTests(LinguisticCollationFixture api) : IClassFixture<LinguisticCollationFixture>
{
    [Fact]
    public async Task as_of_views_fold_every_item_of_the_transition_under_a_collation_that_ignores_punctuation()
    {
        var key = await api.TenantWithKey();
        var migration = await new RealisticMigration(api, key).Record();
        await api.ViewsCaughtUp();
        var asOf = Uri.EscapeDataString(api.UtcNow.AddMinutes(1).ToString("O"));

        foreach (var view in new[] { "dependencies", "dashboard" })
        {
            var live = (await api.Get($"/api/transitions/{migration.Id}/{view}", key)).Json;
            var folded = (await api.Get($"/api/transitions/{migration.Id}/{view}?asOf={asOf}", key)).Json;
            Assert.Equal(Comparable(live), Comparable(folded));
        }
        var portfolio = (await api.Get($"/api/portfolio?asOf={asOf}", key)).Json["transitions"]!.AsArray().Single()!;
        Assert.Equal(107, portfolio["remainingDependencies"]!.GetValue<int>());
    }

    private static string Comparable(JsonNode view)
    {
        var copy = view.DeepClone().AsObject();
        foreach (var field in new[] { "asOf", "now" }) copy.Remove(field);
        return copy.ToJsonString();
    }
}

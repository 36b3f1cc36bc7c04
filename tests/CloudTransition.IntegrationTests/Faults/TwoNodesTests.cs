using CloudTransition.IntegrationTests.Fixtures;
using Npgsql;

namespace CloudTransition.IntegrationTests.Faults;

[Collection(FaultCollection.Name)]
public class TwoNodesTests
{
    private static async Task OpenCases(IApi api, string key, string transition, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var reply = await api.Post($"/api/transitions/{transition}/support-cases", new { title = $"{prefix}-{i}", vendor = "Microsoft", channel = "direct", severity = "c" }, key);
            Assert.True(reply.Status == 201, reply.ToString());
        }
    }

    /// <summary>Which node ("first" or "second" started) Wolverine assigned the async projection to.</summary>
    private static async Task<string> ProjectionHolder(FaultHarness harness)
    {
        await using var connection = new NpgsqlConnection(harness.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select case when n.node_number = (select min(node_number) from cloudtransition.wolverine_nodes) then 'first' else 'second' end
            from cloudtransition.wolverine_node_assignments a join cloudtransition.wolverine_nodes n on n.id = a.node_id
            where a.id like 'event-subscriptions://%' limit 1
            """, connection);
        return (string?)await command.ExecuteScalarAsync() ?? "none";
    }

    [Fact]
    public async Task two_nodes_share_the_work_and_one_takes_over_when_the_other_dies()
    {
        await using var harness = await FaultHarness.Create();
        var a = await harness.StartApi();
        var b = await harness.StartApi();
        using var apiA = new LiveApi(a.BaseUrl, harness.AdminKey);
        using var apiB = new LiveApi(b.BaseUrl, harness.AdminKey);
        await harness.Prepare(apiA);

        await Task.WhenAll(OpenCases(apiA, harness.TenantKey, harness.TransitionId, "a", 40), OpenCases(apiB, harness.TenantKey, harness.TransitionId, "b", 40));
        await harness.ViewCounts(apiA, 80, TimeSpan.FromSeconds(30));
        await harness.ViewCounts(apiB, 80, TimeSpan.FromSeconds(5));

        // Kill the node that runs the projection (the nodes are numbered in start order), keep the other.
        var holder = await ProjectionHolder(harness);
        Assert.NotEqual("none", holder);
        var (victim, survivor, survivorApi) = holder == "first" ? (a, b, apiB) : (b, a, apiA);
        await victim.DisposeAsync();
        await OpenCases(survivorApi, harness.TenantKey, harness.TransitionId, "after", 40);
        var takeover = await harness.ViewCounts(survivorApi, 120, TimeSpan.FromSeconds(30));
        var stored = await harness.StoredCases();
        var newHolder = await ProjectionHolder(harness);
        await FaultHarness.Record("two-nodes", $"80 cases through two nodes; the {holder} node ran the projection and was killed; 40 more through the other: " +
                                               $"view caught up {takeover.TotalSeconds:0.0} s later on the survivor (now '{newHolder}'); {stored.Count} stored, view counts 120");
        await survivor.DisposeAsync();

        Assert.Equal(120, stored.Count);
    }
}

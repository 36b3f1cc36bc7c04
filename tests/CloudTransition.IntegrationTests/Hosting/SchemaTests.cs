using CloudTransition.IntegrationTests.Fixtures;
using Npgsql;

namespace CloudTransition.IntegrationTests.Hosting;

[Collection(ApiCollection.Name)]
public class SchemaTests(ApiFixture api)
{
    /// <summary>
    /// Every read by transition also filters by tenant. An index on the transition alone let PostgreSQL intersect it
    /// with the primary key's whole tenant range when its statistics lagged: 35–170 ms for one dependency list.
    /// </summary>
    [Fact]
    public async Task every_index_on_a_transition_also_holds_the_tenant()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select tablename, indexdef from pg_indexes where schemaname = 'cloudtransition' and indexdef like '%(transition_id%'", connection);
        var indexes = new List<(string Table, string Definition)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) indexes.Add((reader.GetString(0), reader.GetString(1)));

        Assert.Equal(["mt_doc_blackout", "mt_doc_blocker", "mt_doc_component", "mt_doc_mailbox", "mt_doc_relaydevice", "mt_doc_relaydiscoveryrecord", "mt_doc_relaysender", "mt_doc_supportcase", "mt_doc_view_checkpoint", "mt_doc_wave", "mt_doc_wave", "mt_doc_wave_mailbox_entry"],
            indexes.Select(i => i.Table).Order());
        // The one unique index (a wave's name per transition) holds the tenant after the name; the remaining mailboxes' holds the address after
        // both (the view's entries have no other index by transition: this one's prefix serves what one would).
        Assert.All(indexes, i => Assert.True(i.Definition.Contains("(transition_id, tenant_id)") || i.Definition.Contains("(transition_id, tenant_id, (((data -> 'mailbox'")
            || i.Definition.StartsWith("CREATE UNIQUE INDEX") && i.Definition.EndsWith(", tenant_id)"), i.Definition));
    }
}

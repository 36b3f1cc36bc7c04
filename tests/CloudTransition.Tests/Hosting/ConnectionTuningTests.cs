using CloudTransition.Api.Hosting;
using Npgsql;

namespace CloudTransition.Tests.Hosting;

public class ConnectionTuningTests
{
    [Fact]
    public void pooled_connections_keep_their_session_and_prepare_statements_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(EventStore.Tuned("Host=db;Database=ct;Username=app"));
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(200, tuned.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;noresetonclose=false;maxautoprepare=0")]
    public void settings_in_the_connection_string_win(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(EventStore.Tuned(connectionString));
        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(0, tuned.MaxAutoPrepare);
    }
}

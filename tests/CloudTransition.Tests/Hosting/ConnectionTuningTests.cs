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
        Assert.Equal("-c jit=off -c max_parallel_workers_per_gather=0", tuned.Options);
    }

    [Theory]
    [InlineData("Host=db;Options=-c search_path=x", "-c search_path=x -c jit=off -c max_parallel_workers_per_gather=0")]
    [InlineData("Host=db;Options=-c jit=on", "-c jit=on -c max_parallel_workers_per_gather=0")]
    [InlineData("Host=db;Options=-c max_parallel_workers_per_gather=2", "-c max_parallel_workers_per_gather=2 -c jit=off")]
    public void jit_and_parallel_workers_are_turned_off_beside_other_options_unless_the_connection_string_says(string connectionString, string options) =>
        Assert.Equal(options, new NpgsqlConnectionStringBuilder(EventStore.Tuned(connectionString)).Options);

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

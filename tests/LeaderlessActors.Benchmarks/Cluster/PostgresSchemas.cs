using Npgsql;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>One PostgreSQL schema per node in the given database (storage is shared-nothing: each node its own
/// tables), created for one cluster and dropped after it.</summary>
internal sealed class PostgresSchemas : IAsyncDisposable
{
    private readonly NodeSetup _setup;

    private PostgresSchemas(NodeSetup setup) => _setup = setup;

    public static async Task<PostgresSchemas> CreateAsync(NodeSetup setup)
    {
        var schemas = new PostgresSchemas(setup);
        await schemas.ExecuteForEachNodeAsync("CREATE SCHEMA IF NOT EXISTS");
        return schemas;
    }

    public async ValueTask DisposeAsync() => await ExecuteForEachNodeAsync("DROP SCHEMA IF EXISTS", " CASCADE");

    private async Task ExecuteForEachNodeAsync(string statement, string suffix = "")
    {
        await using var connection = new NpgsqlConnection(_setup.PostgresConnectionString);
        await connection.OpenAsync();
        for (var node = 0; node < ClusterUnderTest.NodeCount; node++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"{statement} \"{_setup.PostgresSchema(node)}\"{suffix}";
            await command.ExecuteNonQueryAsync();
        }
    }
}

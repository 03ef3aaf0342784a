using Npgsql;

namespace LeaderlessActors.Storage;

/// <summary>Creates the node's PostgreSQL schema before the journal starts; the journal creates its tables itself.</summary>
internal static class PostgresSchema
{
    public static void Ensure(StorageSettings settings)
    {
        try
        {
            using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{settings.PostgresSchema.Replace("\"", "\"\"")}\"";
            command.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new LeaderlessConfigurationException("leaderless.storage.postgres.connection-string",
                $"cannot open the node's PostgreSQL database: {e.Message}");
        }
    }
}

using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>One SQL statement of the journal's, with the names of its parameters in the order values are given.</summary>
internal sealed record Statement(string Sql, params string[] Parameters);

/// <summary>
/// The statements of one connection, each prepared once on first use and reused with new parameter values: parsing and
/// planning a statement costs more than running it for the journal's one-row inserts. Used by one thread only.
/// </summary>
internal sealed class PreparedStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<Statement, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);

    public int Execute(Statement statement, params object?[] values) => Bind(statement, values).ExecuteNonQuery();

    public SqliteDataReader Query(Statement statement, params object?[] values) => Bind(statement, values).ExecuteReader();

    public object? Scalar(Statement statement, params object?[] values) => Bind(statement, values).ExecuteScalar();

    /// <summary>Ends a failed transaction; SQLite may have rolled it back by itself already, which is fine.</summary>
    public void RollBackQuietly()
    {
        try
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // "no transaction is active": nothing left to undo.
        }
    }

    private SqliteCommand Bind(Statement statement, object?[] values)
    {
        if (values.Length != statement.Parameters.Length)
            throw new ArgumentException($"{statement.Sql} takes {statement.Parameters.Length} values, not {values.Length}", nameof(values));
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = statement.Sql;
            foreach (var name in statement.Parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            command.Prepare();
            _commands[statement] = command;
        }
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}

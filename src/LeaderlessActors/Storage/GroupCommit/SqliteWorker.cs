using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// A thread of its own with one connection to a SQLite file and a bounded queue of requests. Microsoft.Data.Sqlite's
/// calls block (its async methods run synchronously), so they run here and never on an actor's dispatcher: actors get
/// tasks that this thread completes. Each turn drains what is queued (up to the batch limit) and hands the whole batch
/// to the <see cref="ISqliteBatchRunner"/>, which decides whether it is one transaction (the writer) or not (a reader).
/// </summary>
internal sealed class SqliteWorker
{
    private readonly object _gate = new();
    private readonly Queue<SqliteRequest> _queue = new();
    private readonly SqliteWorkerOptions _options;
    private readonly ISqliteBatchRunner _runner;
    private SqliteConnection? _connection;
    private PreparedStatements? _statements;
    private bool _stopping;

    public SqliteWorker(SqliteWorkerOptions options, ISqliteBatchRunner runner)
    {
        _options = options;
        _runner = runner;
        new Thread(Loop) { IsBackground = true, Name = options.ThreadName }.Start();
    }

    /// <summary>Queues <paramref name="work"/>; fails at once when the queue is full or the worker has stopped.</summary>
    public Task<T> Enqueue<T>(Func<PreparedStatements, T> work)
    {
        var request = new SqliteRequest<T>(work);
        lock (_gate)
        {
            if (_stopping)
                request.Fail(new ObjectDisposedException(_options.ThreadName, "the SQLite journal of this file has stopped"));
            else if (_queue.Count >= _options.QueueLimit)
                request.Fail(new SqliteQueueFullException(_options.QueueLimitKey, _options.QueueLimit));
            else
            {
                _queue.Enqueue(request);
                if (_queue.Count == 1) Monitor.Pulse(_gate);
            }
        }
        return request.Result;
    }

    /// <summary>Stops taking requests; what is queued still runs, then the connection closes. Does not wait.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Loop()
    {
        var batch = new List<SqliteRequest>();
        while (TakeBatch(batch))
        {
            try
            {
                _runner.Run(Statements(), batch);
            }
            catch (Exception e)
            {
                // Everything is caught: this thread is the only one that answers the queued requests, so it must not end.
                // The connection may be what failed (file locked, disk full, file gone): the next batch opens a new one.
                foreach (var request in batch) request.Fail(e);
                CloseConnection();
            }
            batch.Clear();
        }
        CloseConnection();
    }

    private bool TakeBatch(List<SqliteRequest> batch)
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
            while (_queue.Count > 0 && batch.Count < _options.BatchLimit) batch.Add(_queue.Dequeue());
            return batch.Count > 0;
        }
    }

    private PreparedStatements Statements()
    {
        if (_statements is not null) return _statements;
        // Unpooled: the worker keeps its connection for its whole life, and when it stops the file must really close
        // (a pooled connection would keep a deleted or replaced file open for the next worker).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_options.ConnectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = _options.OpeningSql;
            setup.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        _connection = connection;
        return _statements = new PreparedStatements(connection);
    }

    private void CloseConnection()
    {
        _statements?.Dispose();
        _statements = null;
        _connection?.Dispose();
        _connection = null;
    }
}

/// <summary>Runs one drained batch of requests on the worker's connection, completing or failing each.</summary>
internal interface ISqliteBatchRunner
{
    void Run(PreparedStatements statements, IReadOnlyList<SqliteRequest> batch);
}

/// <summary>How a <see cref="SqliteWorker"/> connects and how much it holds.</summary>
/// <param name="ThreadName">Name of the worker's thread (seen in dumps and in errors).</param>
/// <param name="ConnectionString">The file's connection string.</param>
/// <param name="OpeningSql">Run on every new connection: pragmas and the schema.</param>
/// <param name="QueueLimit">Most requests waiting; more fail at once.</param>
/// <param name="QueueLimitKey">The setting named when the queue is full.</param>
/// <param name="BatchLimit">Most requests one turn of the worker takes.</param>
internal sealed record SqliteWorkerOptions(string ThreadName, string ConnectionString, string OpeningSql, int QueueLimit,
    string QueueLimitKey, int BatchLimit);

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// Work for a <see cref="SqliteWorker"/>: run on its thread against its connection, answered through a task. The
/// task's continuations never run on the worker's thread (they would hold up the next batch).
/// </summary>
internal abstract class SqliteRequest
{
    /// <summary>Runs the work; the result stays pending until <see cref="Complete"/> (after the commit, for writes).</summary>
    public abstract void Run(PreparedStatements statements);

    public abstract void Complete();

    public abstract void Fail(Exception cause);
}

/// <inheritdoc />
internal sealed class SqliteRequest<T>(Func<PreparedStatements, T> work) : SqliteRequest
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _value = default!;

    public Task<T> Result => _result.Task;

    public override void Run(PreparedStatements statements) => _value = work(statements);

    public override void Complete() => _result.TrySetResult(_value);

    public override void Fail(Exception cause) => _result.TrySetException(cause);
}

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// The writer's batches: everything drained from the queue, from every replica of the node, in one transaction, so one
/// disk sync covers them all (group commit). Each request runs inside a savepoint: a request that fails is rolled back
/// alone, and none of its rows is visible; the rest commit. A request's task completes only after the commit, so no
/// write is acknowledged before it is durable; if the commit itself fails, every request of the batch fails.
/// </summary>
internal sealed class GroupCommitRunner : ISqliteBatchRunner
{
    public void Run(PreparedStatements statements, IReadOnlyList<SqliteRequest> batch)
    {
        var failed = new bool[batch.Count];
        statements.Execute(JournalSchema.Begin);
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                statements.Execute(JournalSchema.Savepoint);
                try
                {
                    batch[i].Run(statements);
                }
                catch (Exception e)
                {
                    // Whatever the request threw, its own rows are undone and the batch goes on without it.
                    statements.Execute(JournalSchema.RollbackToSavepoint);
                    failed[i] = true;
                    batch[i].Fail(e);
                }
                statements.Execute(JournalSchema.ReleaseSavepoint);
            }
            statements.Execute(JournalSchema.Commit);
        }
        catch
        {
            statements.RollBackQuietly();
            throw; // the worker fails every request of the batch (those failed already keep their own cause)
        }
        for (var i = 0; i < batch.Count; i++)
            if (!failed[i]) batch[i].Complete();
    }
}

/// <summary>The readers' batches: each request on its own (a read sees what was committed when it started).</summary>
internal sealed class OneByOneRunner : ISqliteBatchRunner
{
    public void Run(PreparedStatements statements, IReadOnlyList<SqliteRequest> batch)
    {
        foreach (var request in batch)
        {
            try
            {
                request.Run(statements);
                request.Complete();
            }
            catch (Exception e)
            {
                request.Fail(e);
            }
        }
    }
}

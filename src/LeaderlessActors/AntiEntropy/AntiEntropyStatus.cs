namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// What the anti-entropy workers running on this node did, for operators and tests (the same totals, as instruments, are
/// in the node's <see cref="Diagnostics.StoreMetrics"/>). Thread-safe.
/// </summary>
internal sealed class AntiEntropyStatus
{
    private readonly object _gate = new();
    private readonly HashSet<int> _workers = [];
    private long _exchanges, _keysRepaired, _bytes;

    /// <summary>The workers (by index) alive on this node now.</summary>
    public IReadOnlySet<int> Workers
    {
        get { lock (_gate) return _workers.ToHashSet(); }
    }

    /// <summary>Exchanges that completed (in sync, or repaired) through workers on this node.</summary>
    public long Exchanges => Interlocked.Read(ref _exchanges);

    /// <summary>Keys exchanges repaired, failed ones included (a key counts once however many replicas it repaired).</summary>
    public long KeysRepaired => Interlocked.Read(ref _keysRepaired);

    /// <summary>Bytes those exchanges moved: hashes, leaf entries, key states read and repairs sent.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public void WorkerStarted(int index)
    {
        lock (_gate) _workers.Add(index);
    }

    public void WorkerStopped(int index)
    {
        lock (_gate) _workers.Remove(index);
    }

    public void ExchangeEnded(bool completed, long keysRepaired, long bytes)
    {
        if (completed) Interlocked.Increment(ref _exchanges);
        Interlocked.Add(ref _keysRepaired, keysRepaired);
        Interlocked.Add(ref _bytes, bytes);
    }
}

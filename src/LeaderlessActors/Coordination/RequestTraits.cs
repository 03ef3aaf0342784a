namespace LeaderlessActors.Coordination;

/// <summary>
/// What a request is, read once from its type and options: the operation, its name in metrics and spans, and the
/// consistency, timeout and sloppiness it asked for (null: the node's default). The store's API, its spans and the
/// gateway all classify a request through this one place.
/// </summary>
internal readonly record struct RequestTraits(StoreOperation Operation, bool IsInspection, Consistency? Consistency, TimeSpan? Timeout,
    bool? SloppyQuorum)
{
    public static RequestTraits Of(IStoreRequest request) => request switch
    {
        GetRequest g => new(StoreOperation.Get, false, g.Options?.Consistency, g.Options?.Timeout, null),
        PutRequest p => new(StoreOperation.Put, false, p.Options?.Consistency, p.Options?.Timeout, p.Options?.SloppyQuorum),
        DeleteRequest d => new(StoreOperation.Delete, false, d.Options?.Consistency, d.Options?.Timeout, d.Options?.SloppyQuorum),
        InspectRequest i => new(StoreOperation.Get, true, null, i.Timeout, null),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Not a store request."),
    };

    /// <summary>"get", "put", "delete" or "inspect": the operation tag of the metrics and the span name's suffix.</summary>
    public string Name => IsInspection ? "inspect" : Operation switch
    {
        StoreOperation.Put => "put",
        StoreOperation.Delete => "delete",
        _ => "get",
    };

    public bool IsWrite => Operation != StoreOperation.Get;

    /// <summary>The consistency asked for, or the node's default for reads or writes.</summary>
    public Consistency ConsistencyOr(LeaderlessSettings settings) =>
        Consistency ?? (IsWrite ? settings.WriteConsistency : settings.ReadConsistency);

    /// <summary>How many replicas must answer (0 for an inspection, which reports whoever answers).</summary>
    public int Required(LeaderlessSettings settings) => IsInspection ? 0 : ConsistencyOr(settings).RequiredFor(settings.ReplicationFactor);

    public TimeSpan TimeoutOr(LeaderlessSettings settings) => Timeout ?? settings.RequestTimeout;

    public bool SloppyOr(LeaderlessSettings settings) => IsWrite && (SloppyQuorum ?? settings.Hints.SloppyQuorum);
}

namespace LeaderlessActors.Node.Http;

// The JSON bodies of the HTTP API (camelCase; byte arrays as base64).

/// <summary>A read as JSON: every sibling value, the context to write with, whether the key has a value.</summary>
internal sealed record ReadBody(string Key, IReadOnlyList<byte[]> Values, string Context, bool Found)
{
    public static ReadBody From(string key, ReadResult result) => new(key, result.Values, result.Context.ToString(), result.Found);
}

/// <summary>Each replica's own state of a key.</summary>
internal sealed record ReplicasBody(string Key, int Partition, IReadOnlyList<ReplicaBody> Replicas, IReadOnlyList<string> Missing)
{
    public static ReplicasBody From(KeyInspection inspection) => new(inspection.Key, inspection.Partition,
        inspection.Replicas.Select(r => new ReplicaBody(r.Node, r.Partition, r.ReplicaIndex, r.ReplicaEpoch, r.Context.ToString(),
            r.Versions.Select(v => new VersionBody(v.Dot, v.Value, v.IsTombstone)).ToArray(), r.Values)).ToArray(),
        inspection.Missing);
}

internal sealed record ReplicaBody(string Node, int Partition, int ReplicaIndex, string ReplicaEpoch, string Context,
    IReadOnlyList<VersionBody> Versions, IReadOnlyList<byte[]> Values)
{
    /// <summary>The replica's epoch under the field name earlier versions used; kept so existing clients still read it.</summary>
    [Obsolete("Read replicaEpoch.")]
    public string ReplicaId => ReplicaEpoch;
}

internal sealed record VersionBody(string Dot, byte[]? Value, bool Tombstone);

using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// The progress of one hand-over of a stray copy, without messaging: the keys go to every owner one chunk at a time (the
/// same chunk to each), and the next chunk only once every owner stored every key of the current one, so a large copy
/// never floods a link or an owner. <typeparamref name="TPeer"/> identifies a node.
/// </summary>
internal sealed class StrayHandoverState<TPeer> where TPeer : notnull
{
    private readonly IReadOnlyList<TPeer> _owners;
    private readonly KeyValuePair<string, SiblingSet>[] _entries;
    private readonly long _chunkBytes;
    // Per owner, how many keys of the current chunk it has not acknowledged yet.
    private readonly Dictionary<TPeer, int> _unstored = [];
    private int _from, _end;

    public StrayHandoverState(IReadOnlyList<TPeer> owners, KeyValuePair<string, SiblingSet>[] entries, long chunkBytes)
    {
        if (owners.Count == 0) throw new ArgumentException("a hand-over needs at least one owner", nameof(owners));
        _owners = owners;
        _entries = entries;
        _chunkBytes = chunkBytes;
    }

    /// <summary>Every key is stored by every owner.</summary>
    public bool Done => _end == _entries.Length && _unstored.Count == 0;

    /// <summary>
    /// The next chunk, to send to every owner, with its estimated size; empty when every key was sent. Call it once the
    /// previous chunk is stored (<see cref="Stored"/> said so).
    /// </summary>
    public (KeyValuePair<string, SiblingSet>[] Keys, long Bytes) NextChunk()
    {
        if (_unstored.Count > 0) throw new InvalidOperationException("the current chunk is not stored by every owner yet");
        _from = _end;
        (_end, var bytes) = KeyChunks.Next(_entries, _from, _chunkBytes);
        var chunk = _entries[_from.._end];
        if (chunk.Length > 0)
            foreach (var owner in _owners) _unstored[owner] = chunk.Length;
        return (chunk, bytes);
    }

    /// <summary><paramref name="owner"/> stored one key of the current chunk: true when that completed the chunk on every
    /// owner. An acknowledgement from a node that is not an owner, or one more than the chunk's keys, changes nothing.</summary>
    public bool Stored(TPeer owner)
    {
        if (!_unstored.TryGetValue(owner, out var left)) return false;
        if (left > 1)
        {
            _unstored[owner] = left - 1;
            return false;
        }
        _unstored.Remove(owner);
        return _unstored.Count == 0;
    }
}

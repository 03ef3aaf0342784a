using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// A replica's keys in two layers: what the journal has confirmed (durable), and the newest state of keys whose events
/// are still in flight. New versions are built on the newest state, so two writes in flight never issue the same dot;
/// reads, inspections and snapshots see only the durable layer, so nothing unconfirmed leaves the replica but the new
/// state of a write told to its coordinator early (<see cref="PendingKey{TReplyTo}.TellEarly"/>). The
/// durable layer's Merkle tree (<see cref="Tree"/>) follows every change to it, so anti-entropy compares what reads see.
/// </summary>
internal sealed class ReplicaKeys(MerkleShape shape)
{
    private readonly Dictionary<string, SiblingSet> _durable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SiblingSet State, int Events)> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The hash tree over the durable keys and their clocks.</summary>
    public MerkleTree Tree { get; private set; } = shape.NewTree();

    public bool HasInFlight(string key) => _inFlight.ContainsKey(key);

    /// <summary>How many keys the journal has confirmed.</summary>
    public int DurableCount => _durable.Count;

    /// <summary>The confirmed state of <paramref name="key"/> (empty when the key is unknown).</summary>
    public SiblingSet Durable(string key) => _durable.GetValueOrDefault(key) ?? SiblingSet.Empty;

    /// <summary>The newest state of <paramref name="key"/>, including events not yet confirmed.</summary>
    public SiblingSet Newest(string key) =>
        _inFlight.TryGetValue(key, out var pending) ? pending.State : Durable(key);

    /// <summary>An event with <paramref name="state"/> was handed to the journal.</summary>
    public void Persisting(string key, SiblingSet state) =>
        _inFlight[key] = (state, _inFlight.TryGetValue(key, out var p) ? p.Events + 1 : 1);

    /// <summary>The journal confirmed an event. Events of one key are confirmed in the order they were persisted.</summary>
    public void Confirmed(string key, SiblingSet state)
    {
        SetDurable(key, state);
        if (!_inFlight.TryGetValue(key, out var pending)) return;
        if (pending.Events == 1) _inFlight.Remove(key);
        else _inFlight[key] = (pending.State, pending.Events - 1);
    }

    /// <summary>The journal failed: forget every unconfirmed state (the actor restarts from the journal anyway).</summary>
    public void DropInFlight() => _inFlight.Clear();

    /// <summary>Replaces the durable layer (recovery).</summary>
    public void Restore(string key, SiblingSet state) => SetDurable(key, state);

    public void Clear()
    {
        _durable.Clear();
        _inFlight.Clear();
        Tree = shape.NewTree();
    }

    // An empty state is how a collected key is recorded (see ReplicaCore's tombstone collection): it leaves the map.
    private void SetDurable(string key, SiblingSet state)
    {
        if (state.Siblings.Count == 0 && state.Clock.Count == 0)
        {
            _durable.Remove(key);
            Tree.Remove(key);
            return;
        }
        _durable[key] = state;
        Tree.Set(key, state.Clock);
    }

    public KeyValuePair<string, SiblingSet>[] DurableSnapshot() => _durable.ToArray();

    /// <summary>Gives back the room of keys that left (a tombstone collection; see <see cref="DictionaryTrimming"/>).</summary>
    public void TrimAfterRemovals()
    {
        _durable.TrimIfSparse();
        Tree.TrimAfterRemovals();
    }
}

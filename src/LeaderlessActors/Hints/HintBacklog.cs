using Akka.Actor;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Hints;

/// <summary>What <see cref="HintBacklog.Keep"/> did with a hint.</summary>
internal enum KeepOutcome
{
    /// <summary>A new hint for its target and key.</summary>
    Added,
    /// <summary>Merged into the hint already held for its target and key.</summary>
    Merged,
    /// <summary>Dropped: the target's backlog is full.</summary>
    Dropped,
}

/// <summary>
/// The hints one node holds, per target node and key, without actors or time of its own: bounded per target, one hint per
/// target and key (a newer write merges into it, so a hot key costs one slot), and the choice of which hints to replay
/// next. A replayed hint is "in flight" until its target answers or the resend interval passes.
/// </summary>
internal sealed class HintBacklog(int maxPerTarget)
{
    private sealed class Entry(Hint hint)
    {
        public Hint Hint { get; set; } = hint;
        public DateTime? SentAt { get; set; }
    }

    private readonly Dictionary<Address, Dictionary<(int Partition, string Key), Entry>> _byTarget = [];

    /// <summary>Hints held, over all targets.</summary>
    public int Pending { get; private set; }

    /// <summary>When the oldest write any held hint carries was hinted, or null when none is held.</summary>
    public DateTime? OldestCreated => _byTarget.Values.SelectMany(t => t.Values).Select(e => (DateTime?)e.Hint.Created).Min();

    /// <summary>Every held hint, for a snapshot.</summary>
    public IEnumerable<Hint> All => _byTarget.Values.SelectMany(t => t.Values).Select(e => e.Hint);

    public IReadOnlyDictionary<Address, int> PendingPerTarget => _byTarget.ToDictionary(t => t.Key, t => t.Value.Count);

    /// <summary>Whether <see cref="Keep"/> would drop <paramref name="hint"/>.</summary>
    public bool IsFull(Hint hint) =>
        _byTarget.TryGetValue(hint.Target, out var held) && held.Count >= maxPerTarget && !held.ContainsKey((hint.Partition, hint.Key));

    public KeepOutcome Keep(Hint hint)
    {
        if (IsFull(hint)) return KeepOutcome.Dropped;
        if (!_byTarget.TryGetValue(hint.Target, out var held)) _byTarget[hint.Target] = held = [];
        if (held.TryGetValue((hint.Partition, hint.Key), out var entry))
        {
            var oldest = entry.Hint.Created < hint.Created ? entry.Hint.Created : hint.Created;
            entry.Hint = entry.Hint with { State = entry.Hint.State.Merge(hint.State), Created = oldest };
            return KeepOutcome.Merged;
        }
        held[(hint.Partition, hint.Key)] = new Entry(hint);
        Pending++;
        return KeepOutcome.Added;
    }

    /// <summary>
    /// The target acknowledged the key's state with <paramref name="clock"/>: the hint goes when that covers it (true), and
    /// otherwise (it gained a newer write meanwhile) is due to be sent again.
    /// </summary>
    public bool Delivered(Address target, int partition, string key, VersionVector clock)
    {
        if (!_byTarget.TryGetValue(target, out var held) || !held.TryGetValue((partition, key), out var entry)) return false;
        if (!clock.Descends(entry.Hint.State.Clock))
        {
            entry.SentAt = null;
            return false;
        }
        held.Remove((partition, key));
        if (held.Count == 0) _byTarget.Remove(target);
        Pending--;
        return true;
    }

    /// <summary>The target refused or failed the replay: the hint is due again.</summary>
    public void Unsent(Address target, int partition, string key)
    {
        if (_byTarget.TryGetValue(target, out var held) && held.TryGetValue((partition, key), out var entry)) entry.SentAt = null;
    }

    /// <summary>
    /// Up to <paramref name="budget"/> hints to replay now, marked in flight: those of targets <paramref name="ready"/>
    /// says can take them, not in flight or sent longer than <paramref name="resendAfter"/> ago. Targets take turns, so
    /// one long backlog does not hold up the others.
    /// </summary>
    public IReadOnlyList<Hint> TakeDue(DateTime now, int budget, TimeSpan resendAfter, Func<Address, bool> ready)
    {
        var due = new List<Hint>();
        var queues = _byTarget.Where(t => ready(t.Key))
            .Select(t => t.Value.Values.Where(e => e.SentAt is not { } sent || now - sent >= resendAfter).GetEnumerator())
            .ToList();
        while (due.Count < budget && queues.Count > 0)
        {
            for (var i = queues.Count - 1; i >= 0 && due.Count < budget; i--)
            {
                if (!queues[i].MoveNext())
                {
                    queues.RemoveAt(i);
                    continue;
                }
                queues[i].Current.SentAt = now;
                due.Add(queues[i].Current.Hint);
            }
        }
        return due;
    }
}

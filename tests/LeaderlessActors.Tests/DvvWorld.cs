using CsCheck;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Tests;

/// <summary>One step of a simulated history of a key: a replica coordinating a write, or two replicas syncing.</summary>
internal readonly record struct DvvStep(int Kind, int Replica, int Other)
{
    public override string ToString() => Kind switch
    {
        <= 3 => $"put@{Replica} ctx-from {Other}",
        4 => $"put@{Replica} no-ctx",
        5 => $"delete@{Replica} ctx-from {Other}",
        9 => $"retry@{Replica} of the last put",
        _ => $"sync {Replica}<-{Other}",
    };
}

/// <summary>
/// The states a few replicas of one key reach through a random history of writes (each coordinated by one replica from a
/// context some replica read), deletes and pairwise syncs. Properties are checked on reachable states only: merging
/// arbitrary, unrelated sibling sets would test situations the store never produces.
/// </summary>
internal sealed class DvvWorld
{
    private DvvWorld(long[] epochs, SiblingSet[] states, IReadOnlyList<Dot> issued)
    {
        Epochs = epochs;
        States = states;
        Issued = issued;
    }

    public long[] Epochs { get; }

    public SiblingSet[] States { get; }

    /// <summary>Every dot issued by the history, in order.</summary>
    public IReadOnlyList<Dot> Issued { get; }

    public int Count => States.Length;

    public SiblingSet State(int index) => States[index % Count];

    public long Id(int index) => Epochs[index % Count];

    /// <summary>What a client reading every replica would see.</summary>
    public SiblingSet MergeAll() => States.Aggregate(SiblingSet.Empty, (a, s) => a.Merge(s));

    /// <summary>Value bytes that are unique per step, so a test can tell which write a sibling came from.</summary>
    public static byte[] ValueOf(int step) => BitConverter.GetBytes(step);

    /// <summary>
    /// Replays <paramref name="steps"/>; <paramref name="onUpdate"/> sees every coordinated write: the state before, the
    /// state after, the issuing epoch and the dots issued before it.
    /// </summary>
    public static DvvWorld Play(long[] ids, DvvStep[] steps, Action<SiblingSet, SiblingSet, long, IReadOnlyCollection<Dot>>? onUpdate = null)
    {
        var states = ids.Select(_ => SiblingSet.Empty).ToArray();
        var issued = new List<Dot>();
        var issuedSet = new HashSet<Dot>();
        (VersionVector Context, byte[]? Value)? lastPut = null;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            var r = step.Replica % ids.Length;
            var o = step.Other % ids.Length;
            if (step.Kind == 9)
            {
                // A client retrying its last write (outcome unknown) with the same context and value, wherever it lands.
                if (lastPut is { } put) states[r] = states[r].Write(put.Context, put.Value, ids[r]).State;
                continue;
            }
            if (step.Kind >= 6)
            {
                states[r] = states[r].Merge(states[o]);
                continue;
            }
            var context = step.Kind == 4 ? VersionVector.Empty : states[o].Clock;
            var before = states[r];
            lastPut = (context, step.Kind == 5 ? null : ValueOf(i));
            var after = before.Update(context, step.Kind == 5 ? null : ValueOf(i), ids[r]);
            onUpdate?.Invoke(before, after, ids[r], issuedSet);
            foreach (var s in after.Siblings)
                if (issuedSet.Add(s.Dot)) issued.Add(s.Dot);
            states[r] = after;
        }
        return new DvvWorld(ids, states, issued);
    }

    public static readonly Gen<long[]> Ids =
        Gen.Long.Where(id => id != 0).Array[2, 4].Where(ids => ids.Distinct().Count() == ids.Length);

    public static readonly Gen<DvvStep> Step = Gen.Select(Gen.Int[0, 8], Gen.Int[0, 3], Gen.Int[0, 3], (k, r, o) => new DvvStep(k, r, o));

    public static readonly Gen<(long[] Ids, DvvStep[] Steps)> History = Gen.Select(Ids, Step.Array[0, 40]);

    public static readonly Gen<DvvWorld> Worlds = History.Select((ids, steps) => Play(ids, steps));

    /// <summary>Histories that also retry writes (step kind 9), as a client does after an unknown outcome.</summary>
    public static readonly Gen<DvvWorld> WorldsWithRetries =
        Gen.Select(Ids, Gen.Select(Gen.Int[0, 9], Gen.Int[0, 3], Gen.Int[0, 3], (k, r, o) => new DvvStep(k, r, o)).Array[0, 40])
            .Select((ids, steps) => Play(ids, steps));

    /// <summary>A readable, value-sensitive rendering: <see cref="SiblingSet.Equals(SiblingSet)"/> compares dots only.</summary>
    public static string Describe(SiblingSet set) =>
        $"{set.Clock} [{string.Join(", ", set.Siblings.Select(s => $"{s.Dot.Epoch:x}:{s.Dot.Counter}=" + (s.Value is null ? "tombstone" : Convert.ToHexString(s.Value))))}]";

    public override string ToString() => string.Join(" | ", States.Select(Describe));
}

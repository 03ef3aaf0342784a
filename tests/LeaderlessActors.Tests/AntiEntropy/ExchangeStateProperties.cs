using CsCheck;
using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.AntiEntropy;

/// <summary><see cref="ExchangeState{TPeer}"/> driven directly against replicas' key states, as the exchange actor drives it
/// with messages: it must find exactly the keys that differ and leave every replica with the merge of all.</summary>
public sealed class ExchangeStateProperties
{
    private static readonly MerkleShape Shape = new(4, 2);

    /// <summary>Three replicas' states: a shared base of keys, and each replica's own writes on top (new keys, or a new
    /// version of a shared key).</summary>
    private static readonly Gen<Dictionary<string, SiblingSet>[]> Replicas =
        Gen.Select(Gen.Int[0, 200], Gen.Int[0, 5].Array[3], Gen.Int).Select((shared, extra, seed) =>
        {
            var random = new Random(seed);
            var baseKeys = Enumerable.Range(0, shared).ToDictionary(i => $"k{i}", i => Version(SiblingSet.Empty, 1, $"v{i}"));
            return extra.Select((count, replica) =>
            {
                var keys = new Dictionary<string, SiblingSet>(baseKeys);
                for (var i = 0; i < count; i++)
                {
                    var key = random.Next(2) == 0 && shared > 0 ? $"k{random.Next(shared)}" : $"r{replica}-{i}";
                    keys[key] = Version(keys.GetValueOrDefault(key) ?? SiblingSet.Empty, 10 + replica, $"w{replica}-{i}");
                }
                return keys;
            }).ToArray();
        });

    [Fact]
    public void An_exchange_finds_exactly_the_differing_keys_and_leaves_every_replica_with_the_merge_of_all()
    {
        Replicas.Sample(replicas =>
        {
            var differing = replicas.SelectMany(r => r.Keys).Distinct()
                .Where(k => replicas.Any(r => !r.TryGetValue(k, out var s) || !s.Equals(replicas[0].GetValueOrDefault(k)))).ToHashSet();
            var expected = replicas.SelectMany(r => r.Keys).Distinct().ToDictionary(k => k,
                k => replicas.Aggregate(SiblingSet.Empty, (m, r) => m.Merge(r.GetValueOrDefault(k) ?? SiblingSet.Empty)));

            var (found, repairs) = Run(replicas, budgetBytes: 64);

            Assert.Equal(differing.Order(), found.Order());
            foreach (var (replica, key, state) in repairs) replicas[replica][key] = state;
            Assert.All(replicas, r => Assert.Equal(expected.OrderBy(e => e.Key), r.OrderBy(e => e.Key)));
        }, iter: 100);
    }

    [Fact]
    public void Replicas_that_agree_end_the_exchange_at_the_root()
    {
        var keys = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => Version(SiblingSet.Empty, 1, $"v{i}"));
        var state = new ExchangeState<int>([0, 1, 2], Shape);
        var trees = Enumerable.Range(0, 3).Select(_ => TreeOf(keys)).ToArray();
        for (var r = 0; r < 3; r++) state.Answered(r, trees[r].Hashes(0, state.Nodes));
        state.HashesComplete();
        Assert.Equal(ExchangeStep.Done, state.Step);
        Assert.True(state.InSyncAtRoot);
    }

    /// <summary>Runs the exchange's steps to the end: the keys it read states of, and the repairs it asked for.</summary>
    private static (List<string> Found, List<(int Replica, string Key, SiblingSet State)> Repairs) Run(
        Dictionary<string, SiblingSet>[] replicas, long budgetBytes)
    {
        var trees = replicas.Select(TreeOf).ToArray();
        var state = new ExchangeState<int>(Enumerable.Range(0, replicas.Length).ToArray(), Shape);
        var found = new List<string>();
        var repairs = new List<(int, string, SiblingSet)>();
        while (state.Step != ExchangeStep.Done)
        {
            switch (state.Step)
            {
                case ExchangeStep.Hashes:
                    for (var r = 0; r < replicas.Length; r++) state.Answered(r, trees[r].Hashes(state.Level, state.Nodes));
                    state.HashesComplete();
                    break;
                case ExchangeStep.Leaves:
                    for (var r = 0; r < replicas.Length; r++)
                        state.Answered(r, state.Nodes.SelectMany(l => trees[r].Entries(l)).ToArray());
                    state.LeavesComplete();
                    break;
                default:
                    var asked = state.KeysAsked(budgetBytes);
                    found.AddRange(asked);
                    // Each replica answers a prefix of its own length, as a chunk budget would cut it.
                    for (var r = 0; r < replicas.Length; r++)
                        state.Answered(r, asked.Take(Math.Max(1, asked.Length - r)).Select(k =>
                            new KeyValuePair<string, SiblingSet>(k, replicas[r].GetValueOrDefault(k) ?? SiblingSet.Empty)).ToArray());
                    repairs.AddRange(state.StatesComplete());
                    break;
            }
        }
        return (found.Distinct().ToList(), repairs);
    }

    private static MerkleTree TreeOf(Dictionary<string, SiblingSet> keys)
    {
        var tree = Shape.NewTree();
        foreach (var (key, state) in keys) tree.Set(key, state.Clock);
        return tree;
    }

    private static SiblingSet Version(SiblingSet state, long replica, string value) =>
        state.Update(state.Clock, System.Text.Encoding.UTF8.GetBytes(value), replica);
}

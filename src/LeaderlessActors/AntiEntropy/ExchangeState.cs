using LeaderlessActors.Versioning;

namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// The decisions of one anti-entropy exchange between the replicas of a partition, without messaging (the
/// <see cref="PartitionExchange"/> actor sends what this asks for): the trees of all replicas are compared a level at a
/// time, each round asking only for the children of the nodes that differed a level up, as <see cref="MerkleDiff"/>
/// does for two trees; then the entries of the differing leaves name the keys that differ; then their states are read
/// from every replica, merged, and the merge is sent to each replica that lacks part of it. A replica missing a key
/// gets it, one holding a newer version gives it: repair runs in every direction at once.
/// </summary>
internal sealed class ExchangeState<TPeer> where TPeer : notnull
{
    private readonly TPeer[] _replicas;
    private readonly MerkleShape _shape;
    private readonly Dictionary<TPeer, object> _answers = [];
    private List<string> _keysLeft = [];
    private int[] _leavesLeft = [];

    public ExchangeState(IReadOnlyList<TPeer> replicas, MerkleShape shape)
    {
        if (replicas.Count < 2) throw new ArgumentException("An exchange needs two replicas or more.", nameof(replicas));
        _replicas = replicas.ToArray();
        _shape = shape;
    }

    /// <summary>The tree level asked now; past <see cref="MerkleShape.Depth"/> once the leaves' entries are asked.</summary>
    public int Level { get; private set; }

    /// <summary>The nodes (or, at the leaves, the leaves) asked for now.</summary>
    public int[] Nodes { get; private set; } = [0];

    /// <summary>What the exchange does now.</summary>
    public ExchangeStep Step { get; private set; } = ExchangeStep.Hashes;

    /// <summary>Keys asked for now in <see cref="ExchangeStep.States"/>: as many of those left as about
    /// <paramref name="budgetBytes"/> of request carry (at least one), so a request always fits a remote frame.</summary>
    public string[] KeysAsked(long budgetBytes)
    {
        long bytes = 0;
        return _keysLeft.TakeWhile((k, i) => (bytes += k.Length * 3L + 16) <= budgetBytes || i == 0).ToArray();
    }

    /// <summary>Every replica's hashes of <see cref="Nodes"/> matched at the root: nothing differs.</summary>
    public bool InSyncAtRoot { get; private set; }

    /// <summary>The root every replica had, when <see cref="InSyncAtRoot"/>.</summary>
    public ulong Root { get; private set; }

    /// <summary>How many distinct keys the exchange found differing so far.</summary>
    public int KeysDiffering { get; private set; }

    /// <summary>A replica answered the current step's request; true once every replica has.</summary>
    public bool Answered(TPeer replica, object answer)
    {
        if (Array.IndexOf(_replicas, replica) < 0) return false;
        _answers[replica] = answer;
        return _answers.Count == _replicas.Length;
    }

    /// <summary>Every replica's hashes are in: moves to the next level, the leaves' entries, or ends the exchange.</summary>
    public void HashesComplete()
    {
        var hashes = _replicas.Select(r => (ulong[])_answers[r]).ToArray();
        _answers.Clear();
        var differing = Nodes.Where((_, i) => hashes.Any(h => h[i] != hashes[0][i])).ToArray();
        if (differing.Length == 0)
        {
            InSyncAtRoot = Level == 0;
            Root = hashes[0][0];
            Step = ExchangeStep.Done;
            return;
        }
        if (Level == _shape.Depth)
        {
            _leavesLeft = differing;
            Step = ExchangeStep.Leaves;
            NextLeaves();
            return;
        }
        Level++;
        Nodes = differing.SelectMany(n => Enumerable.Range(n * _shape.Fanout, _shape.Fanout)).ToArray();
    }

    /// <summary>
    /// Every replica's entries of the leaves asked (<see cref="Nodes"/>, at most <see cref="MerkleShape.Fanout"/> of the
    /// differing leaves at a time, so an answer stays small however many leaves differ) are in: the keys that differ
    /// (missing somewhere, or at another clock) are noted, and the next leaves are asked; after the last, the noted keys'
    /// states are read, or the exchange ends when none differs (the leaves changed meanwhile).
    /// </summary>
    public void LeavesComplete()
    {
        var entries = _replicas.Select(r => ((KeyValuePair<string, ulong>[])_answers[r]).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)).ToArray();
        _answers.Clear();
        var keys = new SortedSet<string>(entries.SelectMany(e => e.Keys), StringComparer.Ordinal);
        // The same on every replica: held by each (the first included, checked first) at the same entry hash.
        keys.RemoveWhere(k => entries.All(e => e.TryGetValue(k, out var h) && h == entries[0][k]));
        _keysLeft.AddRange(keys);
        KeysDiffering = _keysLeft.Count;
        _leavesLeft = _leavesLeft[Nodes.Length..];
        if (_leavesLeft.Length > 0) NextLeaves();
        else Step = _keysLeft.Count == 0 ? ExchangeStep.Done : ExchangeStep.States;
    }

    private void NextLeaves() => Nodes = _leavesLeft.Take(_shape.Fanout).ToArray();

    /// <summary>
    /// Every replica's states of a prefix of <see cref="KeysAsked"/> are in (each answers as many as fit its chunk): the
    /// repairs those keys need, as (replica, key, merged state) for each replica whose state lacks part of the merge. The
    /// keys not covered by every answer are asked again; the exchange ends after the last.
    /// </summary>
    public IReadOnlyList<(TPeer Replica, string Key, SiblingSet State)> StatesComplete()
    {
        var answers = _replicas.Select(r => (r, States: (KeyValuePair<string, SiblingSet>[])_answers[r])).ToArray();
        _answers.Clear();
        var covered = answers.Min(a => a.States.Length);
        var repairs = new List<(TPeer, string, SiblingSet)>();
        for (var i = 0; i < covered; i++)
        {
            var key = _keysLeft[i];
            var merged = answers.Aggregate(SiblingSet.Empty, (m, a) => m.Merge(a.States[i].Value));
            foreach (var (replica, states) in answers)
                if (!states[i].Value.Equals(merged)) repairs.Add((replica, key, merged));
        }
        _keysLeft = _keysLeft.Skip(Math.Max(covered, 1)).ToList();
        if (_keysLeft.Count == 0) Step = ExchangeStep.Done;
        return repairs;
    }
}

/// <summary>The steps of an exchange.</summary>
internal enum ExchangeStep
{
    /// <summary>Comparing the hashes of one level.</summary>
    Hashes,
    /// <summary>Comparing the entries of the differing leaves.</summary>
    Leaves,
    /// <summary>Reading the differing keys' states and repairing.</summary>
    States,
    /// <summary>Nothing left to compare.</summary>
    Done,
}

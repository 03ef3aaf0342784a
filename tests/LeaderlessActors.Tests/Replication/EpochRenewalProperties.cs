using CsCheck;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// kv679: a replica never issues a dot its earlier self may have issued, whatever its journal went through. The core is
/// driven as its actor drives it, through lives of writes that end in a clean stop, a crash, a write whose event never
/// became durable after the replica told its coordinator (who stored it on the peers), or a restore of an older copy of
/// the journal (a prefix of it), each followed by a start from what the journal then holds.
/// </summary>
public sealed class EpochRenewalProperties
{
    private const int Iterations = 300;
    private const string Client = "client";

    /// <summary>Kind 0-5 a write (context by Arg: 0 none, 1 the replica's own state, 2 the peers' state: everything ever
    /// issued), 6 a clean stop and start, 7 a crash and start, 8 a restore of the journal's first Cut entries (of 20)
    /// and start, 9 a write whose event is lost (a crash or a journal failure) and start.</summary>
    internal readonly record struct Op(int Kind, int Key, int Arg, int Cut);

    private static readonly Gen<Op[]> Lives =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 20], (k, key, a, c) => new Op(k, key, a, c)).Array[1, 80];

    [Fact]
    public void Whatever_prefix_of_its_journal_a_replica_restarts_from_every_dot_it_issues_afterwards_is_new()
    {
        var restores = 0;
        Lives.Sample(ops =>
        {
            var node = new Node();
            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case <= 5:
                        node.Write(Key(op.Key), op.Arg);
                        break;
                    case 6:
                        node.StopCleanlyAndStart();
                        break;
                    case 7:
                        node.Start(node.Journal.Count);
                        break;
                    case 9:
                        node.WriteLost(Key(op.Key), op.Arg, handOver: op.Cut % 2 == 0);
                        break;
                    default:
                        var cut = node.Journal.Count * op.Cut / 20;
                        // A copy of a journal that ends in a clean stop, put back after the replica ran on, cannot be told
                        // from a clean restart (the README says so): only a peer's version reveals it (see below).
                        if (cut > 0 && node.Journal[cut - 1] is ReplicaStoppedCleanly && cut < node.Journal.Count) break;
                        if (cut < node.Journal.Count) Interlocked.Increment(ref restores);
                        node.Start(cut);
                        break;
                }
            }
        }, iter: Iterations);
        Assert.True(restores > Iterations, $"only {restores} restores to an older copy"); // guards the generator
    }

    [Fact]
    public void A_replica_that_stopped_cleanly_keeps_its_epoch_and_its_vote()
    {
        var node = Node.VotingWithOneWrite();
        var epoch = node.Core.ReplicaEpoch;

        Assert.Equal(AfterRecovery.Ready, node.StopCleanlyAndStart());

        Assert.Equal(epoch, node.Core.ReplicaEpoch);
        Assert.True(node.Core.Votes);
    }

    [Fact]
    public void A_replica_that_crashed_takes_a_new_epoch_but_keeps_its_keys_and_its_vote()
    {
        var node = Node.VotingWithOneWrite();
        var epoch = node.Core.ReplicaEpoch;
        var state = node.Core.Durable("k");

        Assert.Equal(AfterRecovery.RenewEpoch, node.Start(node.Journal.Count));

        Assert.NotEqual(epoch, node.Core.ReplicaEpoch);
        Assert.Equal(state, node.Core.Durable("k"));
        Assert.True(node.Core.Votes);
        Assert.Null(node.Core.Repair);
    }

    [Fact]
    public void A_clean_stop_that_later_events_followed_proves_nothing()
    {
        var node = new Node();
        node.StopCleanlyAndStart();
        node.Write("k", context: 0);

        Assert.Equal(AfterRecovery.RenewEpoch, node.Start(node.Journal.Count));
    }

    [Fact]
    public void A_peer_holding_a_version_of_a_retired_epoch_that_a_restore_took_away_reveals_lost_history()
    {
        // The copy put back ends in a clean stop, so the replica keeps its epoch; the version the peers hold shows the loss.
        var node = new Node();
        node.Write("k", context: 0);
        node.StopCleanlyAndStart();
        var copy = node.Journal.Count;
        node.Write("k", context: 1);
        node.Start(node.Journal.Count); // a crash: the epoch that issued the last version is retired now
        node.Write("j", context: 0);
        var peers = node.PeerState("k");

        node.Start(copy);
        var merge = node.Core.MergePeerState(Client, 1, "k", peers);

        Assert.NotNull(merge.LostOwnVersion);
        Assert.Contains(peers.Siblings, s => s.Dot == merge.LostOwnVersion);
    }

    [Fact]
    public void After_a_clean_start_a_dot_is_told_early_only_once_something_after_the_clean_stop_is_durable()
    {
        var node = new Node();
        node.Write("k", context: 0);
        Assert.True(node.Core.MayTellIssuedEarly); // the journal ends with the write: a restart would renew the epoch
        node.StopCleanlyAndStart();

        var first = node.Core.CoordinateWrite(Client, 1, "k", VersionVector.Empty, [1], Limits, early: true).Persist!;
        var second = node.Core.CoordinateWrite(Client, 2, "k", VersionVector.Empty, [2], Limits, early: true).Persist!;
        Assert.False(first.TellEarly); // were it lost, a restart would find the clean stop last and keep the epoch
        Assert.False(second.TellEarly);
        Assert.Equal(first.Issued, node.Core.KeyConfirmed(first).Issued); // answered once durable, with its dot

        var third = node.Core.CoordinateWrite(Client, 3, "k", VersionVector.Empty, [3], Limits, early: true).Persist!;
        Assert.True(third.TellEarly);
        Assert.Equal(second.Issued, node.Core.KeyConfirmed(second).Issued);
        Assert.Null(node.Core.KeyConfirmed(third).Issued); // told already: a plain acknowledgement once durable
    }

    [Fact]
    public void A_write_is_told_early_only_when_its_coordinator_asks_for_it()
    {
        var node = new Node();
        Assert.False(node.Core.CoordinateWrite(Client, 1, "k", VersionVector.Empty, [1], Limits).Persist!.TellEarly);
        Assert.True(node.Core.CoordinateWrite(Client, 2, "k", VersionVector.Empty, [2], Limits, early: true).Persist!.TellEarly);
    }

    [Fact]
    public void A_dot_told_early_whose_event_was_lost_is_never_issued_again()
    {
        var node = new Node();
        node.Write("k", context: 0);
        node.StopCleanlyAndStart();
        node.Write("k", context: 1); // after a clean start: the first write is not told early, and is durable
        var epoch = node.Core.ReplicaEpoch;

        var lost = node.WriteLost("k", context: 1);

        Assert.True(lost.TellEarly); // its dot reached the peers
        Assert.Equal(epoch, lost.Issued!.Value.Epoch);
        Assert.NotEqual(epoch, node.Core.ReplicaEpoch); // the journal ends with the first write: a new epoch
        node.Write("k", context: 1); // (Write asserts that the dot is new)
    }

    [Fact]
    public void A_version_told_early_and_lost_is_no_lost_history_when_the_successor_in_the_same_process_was_told_of_it()
    {
        var handedOver = new Node();
        handedOver.Write("k", context: 0);
        handedOver.WriteLost("k", context: 1, handOver: true);
        Assert.Null(handedOver.Core.MergePeerState(Client, 1, "k", handedOver.PeerState("k")).LostOwnVersion);

        var crashed = new Node(); // nothing handed over: it cannot be told from a journal that lost its tail
        crashed.Write("k", context: 0);
        var lost = crashed.WriteLost("k", context: 1);
        Assert.Equal(lost.Issued, crashed.Core.MergePeerState(Client, 1, "k", crashed.PeerState("k")).LostOwnVersion);
    }

    [Fact]
    public void A_retired_epoch_survives_a_snapshot()
    {
        var node = new Node();
        node.Write("k", context: 0);
        var first = node.Core.ReplicaEpoch;
        node.Start(node.Journal.Count);
        Assert.NotEqual(first, node.Core.ReplicaEpoch);

        var (standing, _) = node.Core.StartSnapshot();

        Assert.Contains(first, standing.RetiredEpochs);
    }

    private static readonly KeyLimits Limits = new(1000, long.MaxValue, int.MaxValue);

    private static string Key(int index) => $"key{index}";

    /// <summary>
    /// One node's replica across its lives: the journal as the storage holds it (every entry durable at once), the core
    /// of the current life, every dot any life issued per key, and what the peers hold (everything ever issued).
    /// </summary>
    private sealed class Node
    {
        private readonly HashSet<(string Key, Dot Dot)> _issued = [];
        private readonly Dictionary<string, SiblingSet> _peers = [];
        private long _nextEpoch = 1;
        private long _requestId;

        public Node() => Start(0);

        public List<object> Journal { get; } = [];

        public ReplicaCore<string, string> Core { get; private set; } = null!;

        public SiblingSet PeerState(string key) => _peers.GetValueOrDefault(key) ?? SiblingSet.Empty;

        /// <summary>Starts a new life from the journal's first <paramref name="entries"/> entries, as the actor would:
        /// replay, then persist the marker recovery calls for. A successor in the same process is told what its
        /// predecessor told early and lost (<paramref name="lostAfterTelling"/>).</summary>
        public AfterRecovery Start(int entries, IReadOnlyCollection<(string Key, Dot Dot)>? lostAfterTelling = null)
        {
            Journal.RemoveRange(entries, Journal.Count - entries);
            Core = new ReplicaCore<string, string>(10, 1000, () => _nextEpoch++);
            Core.LostAfterTelling(lostAfterTelling ?? []);
            for (var i = 0; i < Journal.Count; i++) Assert.True(Core.Replay(i + 1, Journal[i]));
            var after = Core.RecoveryCompleted(Journal.Count);
            object? marker = after switch
            {
                AfterRecovery.StartEpoch => Core.StartEpoch(),
                AfterRecovery.RenewEpoch => Core.RenewEpoch(),
                AfterRecovery.StartOver => Core.LoseHistory(Core.LostHistory!),
                _ => null,
            };
            if (marker is not null) Persist(marker);
            return after;
        }

        public AfterRecovery StopCleanlyAndStart()
        {
            Journal.Add(Core.StopCleanly());
            return Start(Journal.Count);
        }

        /// <summary>A coordinated write; the dot it issues must be new for its key across every life.</summary>
        public void Write(string key, int context)
        {
            // A value of its own each time: a retry of a value the key holds unseen issues no new version at all.
            var pending = Core.CoordinateWrite(Client, ++_requestId, key, Context(key, context), BitConverter.GetBytes(_requestId), maxSiblings: 1000).Persist!;
            Issued(key, pending);
            Journal.Add(pending.Event);
            Core.KeyConfirmed(pending);
        }

        /// <summary>
        /// A coordinated write whose coordinator asked to be told early, and whose event never becomes durable (the process
        /// dies, or the journal fails and the actor restarts), then a start from the journal. Told early, its dot reached
        /// the peers, so it must be new and never be issued again; not told, nobody saw it.
        /// </summary>
        public PendingKey<string> WriteLost(string key, int context, bool handOver = false)
        {
            var pending = Core.CoordinateWrite(Client, ++_requestId, key, Context(key, context), BitConverter.GetBytes(_requestId), Limits, early: true).Persist!;
            if (pending.TellEarly) Issued(key, pending);
            Start(Journal.Count, handOver ? Core.ToldAndUnconfirmed() : []);
            return pending;
        }

        private VersionVector Context(string key, int context) => context switch
        {
            0 => VersionVector.Empty,
            1 => Core.Durable(key).Clock,
            _ => PeerState(key).Clock,
        };

        private void Issued(string key, PendingKey<string> pending)
        {
            var dot = pending.Issued!.Value;
            Assert.True(_issued.Add((key, dot)), $"{dot} of {key} was issued before, by an earlier life");
            _peers[key] = PeerState(key).Merge(pending.Event.State);
        }

        /// <summary>A node whose replica wrote key "k" and then heard its peers and completed its first sync: it votes.</summary>
        public static Node VotingWithOneWrite()
        {
            var node = new Node();
            node.Write("k", context: 0);
            node.Core.PeersChecked();
            node.Persist(node.Core.ResyncCompleted()!);
            return node;
        }

        private void Persist(object marker)
        {
            Journal.Add(marker);
            Core.MarkerConfirmed(marker);
        }
    }
}

using CsCheck;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using static LeaderlessActors.Tests.DvvWorld;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// Properties of <see cref="ReplicaCore{TPeer,TReplyTo}"/>, driven directly (strings for peers and reply targets) through
/// random histories of client writes, peers' states merged in, journal confirmations, reads and the peers' word.
/// </summary>
public sealed class ReplicaCoreProperties
{
    private const int Iterations = 300;
    private const string Client = "client";

    /// <summary>One step of a history: Kind 0-2 a write (context by Arg: 0 none, 1 another key's newest state, 2 a
    /// made-up vector with the replica's own id at Counter, 3 a peer's clock), 3 a peer's state merged in, 4 the journal
    /// confirming the oldest event in flight, 5 a read, 6 the peers' word, 7 held reads released.</summary>
    internal readonly record struct Op(int Kind, int Key, int Arg, long Counter);

    private static readonly Gen<Op> Ops =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Long[0, 40], (k, key, a, c) => new Op(k, key, a, c));

    /// <summary>A world of peers' states, the epoch this replica takes (it takes the next one after a loss; both unknown
    /// to the peers), and a history.</summary>
    private static readonly Gen<(DvvWorld World, long Epoch, Op[] Ops)> Histories =
        Gen.Select(Worlds, Gen.Long, Ops.Array[0, 60]).Where((w, epoch, _) =>
            epoch != 0 && epoch + 1 != 0 && !w.Epochs.Contains(epoch) && !w.Epochs.Contains(epoch + 1));

    [Fact]
    public void A_write_issues_a_dot_above_every_counter_of_its_own_id_in_the_key_state_and_the_context_and_never_twice()
    {
        Histories.Sample((world, epoch, ops) =>
        {
            var run = new Run(world, epoch);
            var issued = new HashSet<(string Key, Dot Dot)>(); // dots count per key
            foreach (var op in ops)
            {
                if (op.Kind > 2)
                {
                    run.Step(op);
                    continue;
                }
                var key = Key(op.Key);
                var context = run.Context(op);
                var before = run.Newest(key);
                var dot = run.Write(key, context).Issued!.Value;
                Assert.Equal(epoch, dot.Epoch);
                Assert.True(dot.Counter > before.Clock.Get(epoch), $"{dot} is not above the state {Describe(before)}");
                Assert.True(dot.Counter > context.Get(epoch), $"{dot} is not above the context {context}");
                Assert.True(issued.Add((key, dot)), $"{dot} issued twice for {key}");
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Merging_peers_states_gives_the_same_key_state_in_any_order_and_merging_one_again_changes_nothing()
    {
        Gen.Select(Worlds, Gen.Int[0, 3], Gen.Int[0, 3], Gen.Long).Sample((world, a, b, epoch) =>
        {
            if (epoch == 0 || world.Epochs.Contains(epoch)) return;
            var (x, y) = (world.State(a), world.State(b));
            var ab = new Run(world, epoch);
            ab.MergeAndConfirm("k", x);
            ab.MergeAndConfirm("k", y);
            var ba = new Run(world, epoch);
            ba.MergeAndConfirm("k", y);
            ba.MergeAndConfirm("k", x);
            Assert.Equal(Describe(ab.Core.Durable("k")), Describe(ba.Core.Durable("k")));

            var again = ab.Core.MergePeerState(Client, 1, "k", y);
            Assert.Null(again.Persist); // nothing new: acknowledged without an event
            Assert.Null(again.WhenDurable); // and at once, as nothing is in flight
            Assert.Null(again.LostOwnVersion);
            Assert.Equal(Describe(ba.Core.Durable("k")), Describe(ab.Core.Durable("k")));
        }, iter: Iterations);
    }

    [Fact]
    public void A_peer_state_signals_lost_history_exactly_when_it_holds_a_version_of_the_replicas_own_id_above_its_clock()
    {
        // The replica is the world's first replica, restored from the state it had after a prefix of the history (an
        // older copy, or the whole history): peers' states may then carry its versions it no longer knows.
        int signalled = 0, quiet = 0;
        Gen.Select(DvvWorld.History, Gen.Int[0, 40], Gen.Int[0, 3]).Sample((history, prefix, peer) =>
        {
            var (ids, steps) = history;
            var held = Play(ids, steps.Take(prefix).ToArray()).State(0);
            var incoming = Play(ids, steps).State(peer);
            var core = new ReplicaCore<string, string>(10, 1000, () => ids[0]);
            core.RecoverSnapshot(1, ReplicaStanding<string>.Of(ids[0], null, []), [new("k", held)]);
            // The copy ends in a clean stop, so the replica keeps its epoch: only a peer's version can reveal the loss.
            Assert.True(core.Replay(2, new ReplicaStoppedCleanly(ids[0])));
            Assert.Equal(AfterRecovery.Ready, core.RecoveryCompleted(2));

            var lost = core.MergePeerState(Client, 1, "k", incoming).LostOwnVersion;

            var unknown = incoming.Siblings.Where(s => s.Dot.Epoch == ids[0] && s.Dot.Counter > held.Clock.Get(ids[0])).ToArray();
            Assert.Equal(unknown.Length > 0, lost is not null);
            if (lost is { } dot) Assert.Contains(unknown, s => s.Dot == dot);
            Interlocked.Increment(ref lost is null ? ref quiet : ref signalled);
        }, iter: Iterations);
        // Guards the generator: both outcomes must be common, or the property proves little.
        Assert.True(signalled > Iterations / 10, $"{signalled} histories signalled lost history");
        Assert.True(quiet > Iterations / 10, $"{quiet} histories did not");
    }

    [Fact]
    public void A_replica_that_lost_history_never_votes_until_a_resync_completes_whatever_it_does_meanwhile()
    {
        Gen.Select(Histories, Gen.Bool).Sample((history, checkedBefore) =>
        {
            var (world, epoch, ops) = history;
            var run = new Run(world, epoch);
            if (checkedBefore) run.Core.PeersChecked(); // it voted before its loss
            var marker = run.Core.LoseHistory("a test forged the loss");
            Assert.NotEqual(epoch, marker.ReplicaEpoch);
            Assert.True(run.Core.Repair!.FromEveryPeer);
            foreach (var op in ops)
            {
                foreach (var answer in run.Step(op)) Assert.True(answer.NeedsRepair, $"a read was answered with a vote after {op}");
                Assert.False(run.Core.Votes, $"it votes after {op}");
                Assert.Equal(0, run.Core.HeldReadCount); // a whole resync is too long to hold a read for
            }
            run.Core.MarkerConfirmed(marker);
            Assert.False(run.Core.Votes);

            run.Core.MarkerConfirmed(run.Core.ResyncCompleted()!);

            Assert.True(run.Core.Votes);
            Assert.False(run.Read("k").NeedsRepair);
        }, iter: Iterations);
    }

    [Fact]
    public void A_replica_that_started_without_history_holds_reads_until_its_peers_word_then_answers_them_with_a_vote()
    {
        Gen.Int[1, 5].Sample(reads =>
        {
            var core = new ReplicaCore<string, string>(holdLimit: 3, 1000, () => 42);
            Assert.Equal(AfterRecovery.StartEpoch, core.RecoveryCompleted(0));
            core.MarkerConfirmed(core.StartEpoch());
            var answered = Enumerable.Range(0, reads).Select(i => core.Read(Client, i, "k")).Where(a => a is not null).ToArray();
            Assert.Equal(Math.Max(0, reads - 3), answered.Length); // past the hold limit, answered at once without a vote
            Assert.All(answered, a => Assert.True(a!.NeedsRepair));

            core.PeersChecked();

            var released = core.ReleaseHeldReads();
            Assert.Equal(Math.Min(reads, 3), released.Count);
            Assert.All(released, a => Assert.False(a.NeedsRepair));
        }, iter: 20);
    }

    [Fact]
    public void A_write_refused_for_the_sibling_limit_changes_nothing_and_the_next_write_issues_the_dot_it_would_have()
    {
        Histories.Sample((world, epoch, ops) =>
        {
            var run = new Run(world, epoch);
            foreach (var op in ops) run.Step(op);
            var before = run.Newest("key0");
            var tooMany = before.Siblings.Count; // a write without context keeps every sibling and adds one

            var refused = run.Core.CoordinateWrite(Client, 1, "key0", VersionVector.Empty, [2], maxSiblings: tooMany);

            Assert.Null(refused.Persist);
            Assert.Equal(tooMany + 1, refused.Siblings);
            var next = run.Write("key0", VersionVector.Empty);
            Assert.Equal(before.Clock.Get(run.Core.ReplicaEpoch) + 1, next.Issued!.Value.Counter);
        }, iter: Iterations);
    }

    [Fact]
    public void A_journal_failure_answers_every_request_still_waiting_exactly_once_and_no_confirmed_one()
    {
        Histories.Sample((world, epoch, ops) =>
        {
            var run = new Run(world, epoch);
            var waiting = new HashSet<long>();
            foreach (var op in ops) run.Step(op);
            foreach (var pending in run.Unconfirmed) waiting.Add(pending.Waiter.Value.RequestId);
            waiting.UnionWith(run.Deferred);
            // A merge that brings nothing new while the key is in flight is acknowledged once that is durable.
            var requestId = 1_000_000L;
            var deferred = run.Unconfirmed.Select(p => run.Core.MergePeerState(Client, ++requestId, p.Event.Key, p.Event.State))
                .Where(m => m.WhenDurable is not null).Select(m => m.WhenDurable!.Value.RequestId).ToArray();
            var held = run.Core.HeldReadCount;

            var failed = run.Core.FailAll().Select(r => r.RequestId).ToArray();

            Assert.Equal(failed.Length, failed.Distinct().Count());
            Assert.Equal(waiting.Count + deferred.Length + held, failed.Length);
            Assert.Subset(failed.ToHashSet(), waiting);
            Assert.Empty(run.Core.FailAll()); // nobody is answered twice
        }, iter: Iterations);
    }

    private static string Key(int index) => $"key{index}";

    /// <summary>A core that started as <c>epoch</c> (its next epochs count up from there) and voted, driven as its actor would drive it, with a model of the
    /// newest state of each key and the journal's queue of events in flight.</summary>
    private sealed class Run
    {
        private readonly DvvWorld _world;
        private readonly Queue<PendingKey<string>> _inFlight = new();
        private readonly Dictionary<string, SiblingSet> _newest = [];
        private readonly List<long> _deferred = [];
        private long _requestId;

        public Run(DvvWorld world, long epoch)
        {
            _world = world;
            var next = epoch;
            Core = new ReplicaCore<string, string>(10, 1000, () => next++);
            Core.RecoveryCompleted(0);
            Core.MarkerConfirmed(Core.StartEpoch());
            Core.PeersChecked();
            Core.MarkerConfirmed(Core.ResyncCompleted()!);
        }

        public ReplicaCore<string, string> Core { get; }

        /// <summary>The events the journal has not confirmed yet, oldest first.</summary>
        public IReadOnlyCollection<PendingKey<string>> Unconfirmed => _inFlight;

        /// <summary>The merges acknowledged once what is in flight is durable (the model never runs those deferrals).</summary>
        public IReadOnlyList<long> Deferred => _deferred;

        public SiblingSet Newest(string key) => _newest.GetValueOrDefault(key) ?? SiblingSet.Empty;

        public VersionVector Context(Op op) => (op.Arg % 4) switch
        {
            0 => VersionVector.Empty,
            1 => Newest(Key(op.Key + 1 + op.Arg)).Clock,
            2 => VersionVector.From([new VersionVector.Entry(Core.ReplicaEpoch, op.Counter)]),
            _ => _world.State((int)op.Counter).Clock,
        };

        public PendingKey<string> Write(string key, VersionVector context)
        {
            // A value no other write holds: a write of a value the replica already holds unseen issues no dot (a retry).
            var pending = Core.CoordinateWrite(Client, ++_requestId, key, context, [0xFF, .. BitConverter.GetBytes(_requestId)], maxSiblings: 1000).Persist!;
            return InFlight(pending);
        }

        public void MergeAndConfirm(string key, SiblingSet state)
        {
            if (Core.MergePeerState(Client, ++_requestId, key, state).Persist is { } pending) Core.KeyConfirmed(pending);
        }

        public ReadAnswer<string> Read(string key) => Core.Read(Client, ++_requestId, key) ?? throw new InvalidOperationException("held");

        /// <summary>Carries out <paramref name="op"/>; returns the reads it answered.</summary>
        public IReadOnlyList<ReadAnswer<string>> Step(Op op)
        {
            var key = Key(op.Key);
            switch (op.Kind)
            {
                case <= 2:
                    Write(key, Context(op));
                    break;
                case 3:
                    var merge = Core.MergePeerState(Client, ++_requestId, key, _world.State(op.Arg));
                    Assert.Null(merge.LostOwnVersion); // the peers never saw this replica's versions
                    if (merge.Persist is { } pending) InFlight(pending);
                    if (merge.WhenDurable is { } waiter) _deferred.Add(waiter.Value.RequestId);
                    break;
                case 4:
                    if (_inFlight.TryDequeue(out var confirmed)) Core.KeyConfirmed(confirmed);
                    break;
                case 5:
                    return Core.Read(Client, ++_requestId, key) is { } answer ? [answer] : [];
                case 6:
                    Core.PeersChecked();
                    break;
                default:
                    return Core.ReleaseHeldReads();
            }
            return [];
        }

        private PendingKey<string> InFlight(PendingKey<string> pending)
        {
            _newest[pending.Event.Key] = pending.Event.State;
            _inFlight.Enqueue(pending);
            return pending;
        }
    }
}

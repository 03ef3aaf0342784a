using Akka.Actor;
using Akka.TestKit.Xunit2;
using CsCheck;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

// 15 s per expected answer, as in ReplicaLimitsSpec: a fresh replica first opens its journal, slow while the test host starts.
public class ReplicaRecoverySpec() : TestKit("akka.loglevel = WARNING\nakka.test.single-expect-default = 15s")
{
    private int _nextPartition;

    /// <summary>One step of a replica's life: a coordinated write, a delete, or a repair merging another replica's state.</summary>
    private sealed record Step(int Kind, int Key, int Value, bool WithContext);

    private static readonly Gen<Step> StepGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 4], Gen.Int[0, 1000], Gen.Bool, (kind, key, value, ctx) => new Step(kind, key, value, ctx));

    [Fact]
    public void Recovery_from_snapshot_and_journal_gives_the_state_before_the_restart()
    {
        Gen.Select(StepGen.List[1, 40], Gen.Int[1, 12]).Sample((steps, snapshotEvery) =>
        {
            var options = TestReplicas.Options(_nextPartition++, snapshotEvery);
            var replica = Sys.ActorOf(Replica.Props(options));
            var keys = Enumerable.Range(0, 5).Select(k => $"k{k}").ToArray();
            long requestId = 0;
            foreach (var step in steps)
            {
                var key = keys[step.Key];
                var context = step.WithContext ? Inspect(replica, key, ++requestId).State.Clock : VersionVector.Empty;
                switch (step.Kind)
                {
                    case 0:
                        replica.Tell(new CoordinateWrite(++requestId, options.Partition, key, BitConverter.GetBytes(step.Value), context, 100), TestActor);
                        this.ExpectWritten();
                        break;
                    case 1:
                        replica.Tell(new CoordinateWrite(++requestId, options.Partition, key, null, context, 100), TestActor);
                        this.ExpectWritten();
                        break;
                    default:
                        var foreign = SiblingSet.Empty.Update(VersionVector.Empty, BitConverter.GetBytes(step.Value), 1000 + step.Value % 3)
                            .Merge(step.WithContext ? Inspect(replica, key, ++requestId).State : SiblingSet.Empty);
                        replica.Tell(new MergeKeyState(++requestId, options.Partition, key, foreign), TestActor);
                        ExpectMsg<KeyStored>();
                        break;
                }
            }
            var before = keys.Select(k => Inspect(replica, k, ++requestId)).ToArray();

            Watch(replica);
            replica.Tell(Replica.StopCleanly.Instance); // an orderly stop: the journal ends in its clean-stop marker
            ExpectTerminated(replica);
            var recovered = Sys.ActorOf(Replica.Props(options));
            var after = keys.Select(k => Inspect(recovered, k, ++requestId)).ToArray();
            Sys.Stop(recovered);

            for (var i = 0; i < keys.Length; i++)
            {
                Assert.Equal(before[i].State, after[i].State);
                Assert.Equal(before[i].ReplicaEpoch, after[i].ReplicaEpoch); // the epoch survives a restart with data
                Assert.DoesNotContain("history lost", after[i].RepairReason ?? ""); // a whole history is not a lost one
            }
        }, iter: 40, threads: 1); // one TestActor: samples must not run in parallel
    }

    [Fact]
    public void A_replica_that_starts_without_data_takes_a_new_epoch_and_never_reuses_a_dot()
    {
        var first = TestReplicas.Options(900);
        var a = Sys.ActorOf(Replica.Props(first));
        a.Tell(new CoordinateWrite(1, 900, "k", [1], VersionVector.Empty, 100), TestActor);
        var written = this.ExpectWritten().State;

        // Same node, but a partition whose journal is empty: a different persistence id stands for lost storage.
        var lost = Sys.ActorOf(Replica.Props(first with { Partition = 901 }));
        lost.Tell(new CoordinateWrite(2, 901, "k", [2], VersionVector.Empty, 100), TestActor);
        var rewritten = this.ExpectWritten().State;

        Assert.NotEqual(written.Siblings[0].Dot, rewritten.Siblings[0].Dot);
        Assert.Equal(2, written.Merge(rewritten).Siblings.Count); // both writes survive a merge: no dot was reused
    }

    private KeyInspected Inspect(IActorRef replica, string key, long requestId)
    {
        replica.Tell(new InspectKey(requestId, 0, key), TestActor);
        return ExpectMsg<KeyInspected>();
    }
}

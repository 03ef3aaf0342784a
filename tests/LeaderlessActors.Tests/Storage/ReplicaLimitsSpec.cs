using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>A replica holds client writes to its own key limits, and never refuses a repair.</summary>
// 15 s per expected answer: a fresh replica's first answer waits for its journal to open and its epoch to be persisted,
// which took over the 3 s default once in CI while the unit tests' host was starting every test class at once.
public class ReplicaLimitsSpec() : TestKit("akka.loglevel = WARNING\nakka.test.single-expect-default = 15s")
{
    private static SiblingSet Siblings(int count) => Enumerable.Range(1, count)
        .Aggregate(SiblingSet.Empty, (s, i) => s.Merge(SiblingSet.Empty.Update(VersionVector.Empty, [(byte)i], epoch: 100 + i)));

    [Fact]
    public void A_replicated_write_past_the_replicas_sibling_bound_is_refused_typed_and_a_repair_of_the_same_state_is_taken()
    {
        var options = TestReplicas.Options(950) with { Limits = new KeyLimits(MaxSiblings: 2, MaxStateBytes: long.MaxValue, MaxClockEntries: 100) };
        var replica = Sys.ActorOf(Replica.Props(options));
        replica.Tell(new MergeKeyState(1, 950, "k", Siblings(2), Write: true), TestActor);
        ExpectMsg<KeyStored>();

        replica.Tell(new MergeKeyState(2, 950, "k", Siblings(3), Write: true), TestActor);
        var refused = ExpectMsg<ReplicaFailed>();
        Assert.Equal(ReplicaFailure.SiblingLimit, refused.Failure);
        replica.Tell(new InspectKey(3, 950, "k"), TestActor);
        Assert.Equal(2, ExpectMsg<KeyInspected>().State.Siblings.Count); // nothing stored

        replica.Tell(new MergeKeyState(4, 950, "k", Siblings(3)), TestActor); // a repair: versions acknowledged elsewhere
        ExpectMsg<KeyStored>();
        replica.Tell(new InspectKey(5, 950, "k"), TestActor);
        Assert.Equal(3, ExpectMsg<KeyInspected>().State.Siblings.Count);
    }

    [Fact]
    public void A_coordinated_write_past_the_byte_bound_is_refused_typed_and_stores_nothing()
    {
        var options = TestReplicas.Options(951) with { Limits = new KeyLimits(MaxSiblings: 10, MaxStateBytes: 1000, MaxClockEntries: 100) };
        var replica = Sys.ActorOf(Replica.Props(options));
        replica.Tell(new CoordinateWrite(1, 951, "k", new byte[600], VersionVector.Empty, 10), TestActor);
        this.ExpectWritten();

        replica.Tell(new CoordinateWrite(2, 951, "k", Enumerable.Repeat((byte)1, 600).ToArray(), VersionVector.Empty, 10), TestActor);
        Assert.Equal(ReplicaFailure.KeyStateLimit, ExpectMsg<ReplicaFailed>().Failure);
        replica.Tell(new InspectKey(3, 951, "k"), TestActor);
        Assert.Single(ExpectMsg<KeyInspected>().State.Siblings);
    }
}

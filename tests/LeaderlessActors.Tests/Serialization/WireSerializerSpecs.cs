using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Serialization;

public class WireSerializerSpecs() : TestKit("akka.loglevel = WARNING\nleaderless.storage.backend = memory\nleaderless.replication-factor = 1")
{
    private static readonly Address Node = new("akka.tcp", "sys", "127.0.0.1", 2552);

    private static readonly SiblingSet State = SiblingSet.Empty.Update(VersionVector.Empty, [1, 2, 3], 42)
        .Merge(SiblingSet.Empty.Update(VersionVector.Empty, null, 7));

    public static TheoryData<object> Messages() =>
    [
        new ReadKey(1, 2, "k"),
        new CoordinateWrite(1, 2, "k", [9], State.Clock, 64),
        new CoordinateWrite(1, 2, "k", null, VersionVector.Empty, 64),
        new StoreKey(1, 2, "k", State),
        new KeyRead(1, Node, State),
        new WriteCoordinated(1, Node, State, new Dot(42, 2)),
        new KeyStored(1, Node),
        new KeyInspected(1, Node, 2, 42, State),
        new ReplicaFailed(1, Node, ReplicaFailure.StorageFailed, "disk"),
        new KeyUpdated("k", State),
        new ReplicaEpochStarted(42),
        new ReplicaSnapshot(42, [new("k", State)]),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_wire_message_round_trips_through_the_store_serializer(object message)
    {
        LeaderlessStore.Get(Sys); // injects the binding of the store serializer
        // Akka rebuilds serialization whenever an extension injects config (Persistence does): the binding must survive.
        Sys.Settings.InjectTopLevelFallback(Akka.Configuration.ConfigurationFactory.ParseString("some-extension.setting = 1"));
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<WireSerializer>(serializer);

        var copy = serializer.FromBinary(serializer.ToBinary(message), message.GetType());

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(copy, message.GetType()));
    }
}

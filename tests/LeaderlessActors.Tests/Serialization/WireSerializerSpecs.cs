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
        new StreamPartition(1, 2, 4096),
        new PartitionChunk(1, Node, [new("k", State)], Last: true),
        new PartitionChunkStored(1),
    ];

    public static TheoryData<object> StoredEntries() =>
    [
        new KeyUpdated("k", State),
        new ReplicaEpochStarted(42),
        new ReplicaHistoryLost(43, "history lost: journal event 3 is unreadable"),
        new ReplicaResynced(43),
        new ReplicaSnapshot(42, [new("k", State)], null),
        new ReplicaSnapshot(42, [new("k", State)], "history lost"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_wire_message_round_trips_through_the_store_serializer(object message) =>
        RoundTrips<WireSerializer>(message);

    [Theory]
    [MemberData(nameof(StoredEntries))]
    public void Every_journal_event_and_snapshot_round_trips_through_the_storage_serializer(object entry) =>
        RoundTrips<StorageSerializer>(entry);

    [Theory]
    [InlineData(new byte[] { 0, 1, 2, 3 })]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 255, 255, 255, 255, 255, 255, 255, 255 })]
    public void Damaged_bytes_read_back_as_an_unreadable_entry_instead_of_failing(byte[] damaged)
    {
        var serializer = StoreSerializerFor(new KeyUpdated("k", State));

        Assert.IsType<UnreadableEntry>(serializer.FromBinary(damaged, typeof(KeyUpdated)));
    }

    [Fact]
    public void Bytes_of_something_other_than_a_stored_entry_read_back_as_unreadable()
    {
        var wire = StoreSerializerFor(new KeyStored(1, Node));
        var storage = StoreSerializerFor(new KeyUpdated("k", State));

        Assert.IsType<UnreadableEntry>(storage.FromBinary(wire.ToBinary(new KeyStored(1, Node)), typeof(KeyUpdated)));
        Assert.IsType<UnreadableEntry>(storage.FromBinary(wire.ToBinary("just a string"), typeof(KeyUpdated)));
    }

    private Akka.Serialization.Serializer StoreSerializerFor(object message)
    {
        LeaderlessStore.Get(Sys); // injects the bindings of the store serializers
        // Akka rebuilds serialization whenever an extension injects config (Persistence does): the bindings must survive.
        Sys.Settings.InjectTopLevelFallback(Akka.Configuration.ConfigurationFactory.ParseString("some-extension.setting = 1"));
        return Sys.Serialization.FindSerializerFor(message);
    }

    private void RoundTrips<TSerializer>(object message)
    {
        var serializer = StoreSerializerFor(message);
        Assert.IsType<TSerializer>(serializer);

        var copy = serializer.FromBinary(serializer.ToBinary(message), message.GetType());

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(copy, message.GetType()));
    }
}

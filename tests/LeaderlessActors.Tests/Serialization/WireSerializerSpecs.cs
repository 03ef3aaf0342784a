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
        new StreamPartition(1, 2, 4096, Node, 42, RequesterFresh: true),
        new PartitionChunk(1, Node, [new("k", State)], Last: true, EarlierEpoch: 41),
        new PartitionChunkStored(1),
    ];

    public static TheoryData<object> StoredEntries() =>
    [
        new KeyUpdated("k", State),
        new ReplicaEpochStarted(42),
        new ReplicaHistoryLost(43, "history lost: journal event 3 is unreadable"),
        new ReplicaResynced(43),
        new ReplicaSnapshot(42, [new("k", State)]),
        new PartitionSnapshot(42, [new("k", State)], null, []),
        new PartitionSnapshot(42, [new("k", State)], new RepairNeed("history lost", FromEveryPeer: true), [new(Node, 41)]),
        new PeerReplicaSeen(Node, 43),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_wire_message_round_trips_through_the_store_serializer(object message) =>
        RoundTrips<WireSerializer>(message);

    [Theory]
    [MemberData(nameof(StoredEntries))]
    public void Every_journal_event_and_snapshot_round_trips_through_the_storage_serializer(object entry) =>
        RoundTrips<StorageSerializer>(entry);

    [Fact]
    public void A_stored_entry_whose_bytes_were_damaged_at_rest_reads_back_as_unreadable_instead_of_failing()
    {
        var serializer = StoreSerializerFor(new KeyUpdated("k", State));
        var bytes = serializer.ToBinary(new KeyUpdated("k", State));

        for (var i = 0; i < bytes.Length; i++) // every byte: checksum, format and payload
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x10;
            Assert.IsType<UnreadableEntry>(serializer.FromBinary(damaged, typeof(KeyUpdated)));
        }
        Assert.IsType<UnreadableEntry>(serializer.FromBinary(bytes[..5], typeof(KeyUpdated))); // cut short
        Assert.IsType<UnreadableEntry>(serializer.FromBinary([], typeof(KeyUpdated)));
    }

    [Fact]
    public void A_stored_entry_that_is_intact_but_does_not_read_fails_loudly_instead_of_counting_as_damage()
    {
        var serializer = StoreSerializerFor(new KeyUpdated("k", State));
        var bytes = serializer.ToBinary(new KeyUpdated("k", State));
        var unknownFormat = (byte[])bytes.Clone();
        unknownFormat[8] = 2;
        Rehash(unknownFormat);
        var intactGarbage = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF };
        Rehash(intactGarbage);

        // A format from a newer version, or a bug: giving the data up as damaged would lose it for good.
        Assert.Throws<NotSupportedException>(() => serializer.FromBinary(unknownFormat, typeof(KeyUpdated)));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(intactGarbage, typeof(KeyUpdated)));
    }

    private static void Rehash(byte[] entry) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(entry, System.IO.Hashing.XxHash64.HashToUInt64(entry.AsSpan(8)));

    [Fact]
    public void No_type_is_both_a_wire_message_and_a_stored_entry_so_each_has_one_serializer()
    {
        var both = typeof(LeaderlessStore).Assembly.GetTypes()
            .Where(t => typeof(ILeaderlessWireMessage).IsAssignableFrom(t) && typeof(ILeaderlessStoredEntry).IsAssignableFrom(t));
        Assert.Empty(both);
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

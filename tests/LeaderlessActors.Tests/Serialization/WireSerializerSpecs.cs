using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Serialization;

public class WireSerializerSpecs() : TestKit("akka.loglevel = WARNING\nleaderless.storage.backend = memory\nleaderless.replication-factor = 1")
{
    internal static readonly Address Node = new("akka.tcp", "sys", "127.0.0.1", 2552);

    internal static readonly SiblingSet State = SiblingSet.Empty.Update(VersionVector.Empty, [1, 2, 3], 42)
        .Merge(SiblingSet.Empty.Update(VersionVector.Empty, null, 7));

    public static TheoryData<object> Messages() =>
    [
        new ReadKey(1, 2, "k"),
        new CoordinateWrite(1, 2, "k", [9], State.Clock, 64),
        new CoordinateWrite(1, 2, "k", null, VersionVector.Empty, 64),
        new MergeKeyState(1, 2, "k", State),
        new KeyRead(1, Node, State),
        new WriteCoordinated(1, Node, State, new Dot(42, 2)),
        new WriteIssued(1, Node, State, new Dot(42, 2)),
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
        new PartitionReleased(43, State.Clock),
        // A released copy's standing is recognised by value after a restart.
        new PartitionSnapshotWithCollected(43, [], RepairNeed.Released, [new(Node, 41)], [42], State.Clock),
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

    public static TheoryData<object> MessagesWithListsAndErrors() =>
    [
        new ReadResult(true, new List<byte[]> { new byte[] { 1 }, new byte[] { 2 } }, CausalContext.Empty),
        new ReadResult(true, new[] { new byte[] { 1 } }, CausalContext.Empty),
        new WriteResult(CausalContext.Empty, new List<string> { "akka.tcp://sys@127.0.0.1:1" }),
        new WriteResult(CausalContext.Empty, new[] { "akka.tcp://sys@127.0.0.1:1" }),
        new InspectResponse(Guid.NewGuid(), new KeyInspection("k", 3,
            new List<ReplicaState> { new("n", 3, 0, "r", CausalContext.Empty, new List<StoredVersion> { new("d", [1]) }) },
            new List<string> { "m" })),
        new RequestFailed(Guid.NewGuid(), new InvalidRequestException(InvalidRequestReason.EmptyKey, "empty")),
        new RequestFailed(Guid.NewGuid(), new QuorumNotReachedException(StoreOperation.Put, "k", 2, ["a"], ["b"], "timeout")),
    ];

    [Theory]
    [MemberData(nameof(MessagesWithListsAndErrors))]
    public void Messages_whose_lists_and_errors_travel_by_type_name_still_round_trip_through_the_locked_down_serializer(object message)
    {
        var serializer = StoreSerializerFor(message);
        var copy = serializer.FromBinary(serializer.ToBinary(message), message.GetType());
        Assert.IsType(message.GetType(), copy);
    }

    public static TheoryData<object> ForeignObjects() =>
    [
        new ForeignMessage("not the store's"),
        new List<ForeignMessage> { new("inside a list") },
        new System.Collections.ArrayList { 1 },
        new Uri("http://example.invalid/"),
    ];

    [Theory]
    [MemberData(nameof(ForeignObjects))]
    public void Bytes_that_name_a_type_outside_the_store_are_refused_before_the_type_is_loaded(object foreign)
    {
        var serializer = StoreSerializerFor(new KeyStored(1, Node));
        var bytes = UnfilteredSerializer().ToBinary(foreign);

        var refused = Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes, typeof(object)));

        Assert.Contains("Unsafe Type Deserialization Detected", refused.Message);
    }

    [Fact]
    public void A_store_message_that_carries_a_foreign_type_inside_is_refused_too()
    {
        var serializer = StoreSerializerFor(new KeyStored(1, Node));
        var bytes = UnfilteredSerializer().ToBinary(new WriteResult(CausalContext.Empty, new ForeignList { "akka.tcp://sys@127.0.0.1:1" }));

        var refused = Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes, typeof(WriteResult)));

        Assert.Contains("Unsafe Type Deserialization Detected", refused.Message);
    }

    /// <summary>What a hostile peer could send: the store's wire format without its type filter.</summary>
    private Akka.Serialization.HyperionSerializer UnfilteredSerializer() => new((ExtendedActorSystem)Sys, Akka.Serialization.HyperionSerializerSettings.Default
        .WithPreserveObjectReference(false).WithVersionTolerance(true).WithKnownTypesProvider(typeof(WireKnownTypes)));

    /// <summary>A message type the store does not know.</summary>
    public sealed record ForeignMessage(string Text);

    /// <summary>A list type the store does not know, behind an interface the store's messages use.</summary>
    public sealed class ForeignList : List<string>;

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

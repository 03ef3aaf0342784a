using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Replication;

// The ownership handoff between nodes: replica hosts share what they know of moving partitions, and a new owner that is
// filled says so to every host. Addresses travel as text, so the messages hold only strings and numbers.

/// <summary>A host asks another for the moves it knows of (its ring changed, or moves it knows are not settled yet).</summary>
internal sealed record OwnershipHistoryRequest(string Requester) : ILeaderlessWireMessage;

/// <summary>
/// One partition's move as the sending host knows it: current owners, each earlier owner set (members separated by
/// spaces) and the owners that confirmed being filled; or, with <paramref name="Settled"/>, that the move to
/// <paramref name="Owners"/> is over.
/// </summary>
internal sealed record PartitionMoveShared(int Partition, string[] Owners, string[] EarlierSets, string[] Filled, bool Settled)
    : ILeaderlessWireMessage
{
    public static PartitionMoveShared Of(int partition, PartitionMove<Address> move) => new(partition, Text(move.Owners),
        move.Earlier.Select(set => string.Join(' ', Text(set))).ToArray(), Text(move.Filled), Settled: false);

    public static PartitionMoveShared SettledFor(int partition, IEnumerable<Address> owners) => new(partition, Text(owners), [], [], Settled: true);

    public PartitionMove<Address> ToMove() => new([.. Owners.Select(Address.Parse)],
        [.. EarlierSets.Select(set => set.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Address.Parse).ToImmutableHashSet())],
        [.. Filled.Select(Address.Parse)]);

    public IReadOnlyList<Address> OwnerAddresses => Owners.Select(Address.Parse).ToArray();

    private static string[] Text(IEnumerable<Address> nodes) => nodes.Select(n => n.ToString()).ToArray();
}

/// <summary>The end of a host's answer to <see cref="OwnershipHistoryRequest"/>: the requester knows the moves the sender
/// knows.</summary>
internal sealed record OwnershipHistoryEnd(string Node) : ILeaderlessWireMessage;

/// <summary>The replica of <paramref name="Partition"/> on <paramref name="Node"/> is filled from every earlier owner as
/// one of <paramref name="Owners"/>: it votes, and once every new owner said so, earlier owners are no longer asked.</summary>
internal sealed record HandoffCompleted(int Partition, string Node, string[] Owners) : ILeaderlessWireMessage;

/// <summary>From a host to one of its replicas: the partition's ownership changed; a replica that is now a new owner stops
/// voting and fills from every earlier owner.</summary>
internal sealed record OwnershipChanged
{
    public static readonly OwnershipChanged Instance = new();
}

/// <summary>From a host to one of its replicas: its node is no longer an owner of the partition and every new owner
/// confirmed being filled from it (the move settled here), so its copy may go.</summary>
internal sealed record ReleasePartition
{
    public static readonly ReleasePartition Instance = new();
}

/// <summary>From a host to one of its replicas: its node does not own the partition and knows of no move of it, so a copy
/// it holds is a stray, to be handed to the owners and then dropped (see <see cref="StrayCopy"/>).</summary>
internal sealed record HandOverStrayCopy
{
    public static readonly HandOverStrayCopy Instance = new();
}

/// <summary>From a replica to its host: it is a new owner about to fill, and waits for one of the node's
/// <c>max-concurrent-fills</c> slots (answered with <see cref="FillSlotGranted"/>).</summary>
internal sealed record FillSlotRequest(int Partition);

/// <summary>From the host: the replica may run its fill now; it gives the slot back with <see cref="FillSlotReleased"/>.</summary>
internal sealed record FillSlotGranted
{
    public static readonly FillSlotGranted Instance = new();
}

/// <summary>From a replica to its host: its fill ended (completed, or gave up until its retry).</summary>
internal sealed record FillSlotReleased(int Partition);

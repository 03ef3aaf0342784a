using Akka.Actor;

namespace LeaderlessActors;

/// <summary>
/// A partition whose owners changed and whose new owners are not all filled yet, as one node knows it (see
/// <see cref="LeaderlessStore.Handoffs"/>). Until every owner in <see cref="Filling"/> has confirmed, reads and writes of
/// its keys also go to the <see cref="EarlierOwners"/>.
/// </summary>
/// <param name="Partition">The partition number.</param>
/// <param name="Owners">Its current owners (preference list order).</param>
/// <param name="EarlierOwners">Every owner it had since it last settled, each of them a source of the new owners' fill.</param>
/// <param name="Filling">New owners that have not confirmed being filled from all earlier owners: they take writes and do
/// not vote in read quorums.</param>
/// <param name="Filled">New owners that confirmed being filled.</param>
public sealed record PartitionHandoff(int Partition, IReadOnlyList<Address> Owners, IReadOnlyList<Address> EarlierOwners,
    IReadOnlyList<Address> Filling, IReadOnlyList<Address> Filled);

using System.IO.Hashing;
using System.Text;
using Akka.Actor;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// The consistent-hash ring every node computes from the same cluster membership. Each member places
/// <c>virtual-nodes-per-member</c> points derived from its address; a partition sits at the hash of its number, and its
/// preference list is the first N distinct members clockwise from there. Because points depend only on addresses, nodes
/// that see the same members compute identical lists, and a join or leave moves only the partitions next to the
/// points it adds or removes (about 1/M of them).
/// </summary>
internal sealed class HashRing
{
    private readonly Address[][] _preferenceLists;
    // Kept for walks past the preference lists (fallback nodes); sorted by point.
    private readonly List<(ulong Point, int Member)> _points;

    public HashRing(IEnumerable<Address> members, int partitionCount, int replicationFactor, int virtualNodes)
    {
        Members = members.Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();
        ReplicationFactor = replicationFactor;
        var points = new List<(ulong Point, int Member)>(Members.Count * virtualNodes);
        for (var m = 0; m < Members.Count; m++)
        {
            var id = Members[m].ToString();
            for (var v = 0; v < virtualNodes; v++)
                points.Add((XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{id}#{v}")), m));
        }
        // Ties between equal points (astronomically rare) are broken by member order so every node sorts alike.
        points.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Member.CompareTo(b.Member));
        _points = points;
        var distinct = Math.Min(replicationFactor, Members.Count);
        _preferenceLists = new Address[partitionCount][];
        for (var p = 0; p < partitionCount; p++)
            _preferenceLists[p] = Walk(points, PartitionPoint(p), distinct);
    }

    /// <summary>The members the ring was built from, in a canonical order.</summary>
    public IReadOnlyList<Address> Members { get; }

    /// <summary>N: how many distinct members each preference list holds when the cluster has that many.</summary>
    public int ReplicationFactor { get; }

    public int PartitionCount => _preferenceLists.Length;

    /// <summary>The primaries of <paramref name="partition"/>: min(N, members) distinct members, in ring order.</summary>
    public IReadOnlyList<Address> PreferenceList(int partition) => _preferenceLists[partition];

    /// <summary>The replica index of <paramref name="member"/> for <paramref name="partition"/>, or -1.</summary>
    public int ReplicaIndexOf(int partition, Address member) => Array.IndexOf(_preferenceLists[partition], member);

    /// <summary>Every member, clockwise from <paramref name="partition"/>: its preference list first, then the nodes that
    /// stand in when owners are down (its fallbacks), nearest first.</summary>
    public IReadOnlyList<Address> ClockwiseFrom(int partition) => Walk(_points, PartitionPoint(partition), Members.Count);

    private Address[] Walk(List<(ulong Point, int Member)> points, ulong start, int count)
    {
        var result = new List<Address>(count);
        if (points.Count == 0) return [];
        var i = LowerBound(points, start);
        for (var step = 0; step < points.Count && result.Count < count; step++)
        {
            var member = Members[points[(i + step) % points.Count].Member];
            if (!result.Contains(member)) result.Add(member);
        }
        return result.ToArray();
    }

    private static int LowerBound(List<(ulong Point, int Member)> points, ulong value)
    {
        int lo = 0, hi = points.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (points[mid].Point < value) lo = mid + 1; else hi = mid;
        }
        return lo == points.Count ? 0 : lo;
    }

    private static ulong PartitionPoint(int partition) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"partition-{partition}"));
}

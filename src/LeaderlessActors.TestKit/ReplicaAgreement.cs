using System.Text;

namespace LeaderlessActors.TestKit;

/// <summary>Whether the replicas of one key hold the same versions, and how to describe a replica's state for a message.</summary>
public static class ReplicaAgreement
{
    /// <summary>True when <paramref name="replicationFactor"/> replicas answered the inspection, none is missing, and all
    /// hold the same versions.</summary>
    public static bool Agree(KeyInspection inspection, int replicationFactor) =>
        inspection.Replicas.Count == replicationFactor && inspection.Missing.Count == 0 &&
        inspection.Replicas.Select(Describe).Distinct().Count() == 1;

    /// <summary>A replica's versions as text: each dot with its value (UTF-8) or "tombstone", in dot order.</summary>
    public static string Describe(ReplicaState replica) =>
        $"[{string.Join(", ", replica.Versions.OrderBy(v => v.Dot, StringComparer.Ordinal).Select(v => $"{v.Dot}={(v.IsTombstone ? "tombstone" : Encoding.UTF8.GetString(v.Value!))}"))}]";
}

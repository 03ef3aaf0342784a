using Akka.TestKit;

namespace LeaderlessActors.TestKit;

/// <summary>Probes of an Akka.TestKit <see cref="TestKitBase"/> (for example Akka.TestKit.Xunit2's <c>TestKit</c>) that
/// live on a node of a <see cref="TestCluster"/>, so the node's actors and remote nodes can reach them.</summary>
public static class ProbeExtensions
{
    /// <summary>A probe in node <paramref name="node"/>'s ActorSystem, asserting through <paramref name="kit"/>.</summary>
    public static TestProbe CreateTestProbe(this TestKitBase kit, TestCluster cluster, int node, string? name = null) =>
        kit.CreateTestProbe(cluster[node], name);
}

using Akka.Actor;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// Runs the node, and runs it again when Akka took it out of the cluster: a node that was downed (its side of a partition
/// lost, a long pause made the others give up on it) has its ActorSystem terminated by Akka, and would otherwise sit
/// idle with its data until someone restarts the process. Instead a new ActorSystem incarnation starts in the same
/// process with the same configuration and storage, and joins again; the ring kept its place meanwhile (a downing never
/// moves partitions). A requested stop (SIGTERM, Ctrl-C) or a completed graceful leave ends the process as before.
/// </summary>
internal static class NodeLifetime
{
    public static async Task<int> RunAsync(NodeConfiguration node)
    {
        var configuration = node;
        while (true)
        {
            IReadOnlyList<Address> peers;
            await using (var app = NodeHost.Build(configuration))
            {
                var stopAsked = false;
                ActorSystem? system = null;
                app.Lifetime.ApplicationStarted.Register(() =>
                {
                    system = app.Services.GetRequiredService<ActorSystem>();
                    // A stop asked for (SIGTERM, Ctrl-C) finds the system running; one that follows a downing finds the
                    // system's coordinated shutdown already under way with its reason.
                    var running = system;
                    app.Lifetime.ApplicationStopping.Register(() => stopAsked = CoordinatedShutdown.Get(running).ShutdownReason is null);
                    // When Akka terminates the system by itself the host stops too, rather than serve HTTP without a cluster.
                    running.WhenTerminated.ContinueWith(_ => app.Lifetime.StopApplication(), TaskScheduler.Default);
                });
                // RunAsync disposes the host's services on its way out: the system was kept when the host started.
                await app.RunAsync().ConfigureAwait(false);
                if (stopAsked || system is null || !EndedByTheCluster(system)) return 0;
                peers = RingPeers(system);
            }
            Console.Error.WriteLine($"This node was downed by the cluster; starting a new incarnation that joins again through [{string.Join(", ", peers)}].");
            configuration = Rejoining(node, peers);
        }
    }

    /// <summary>Whether Akka shut the system down by itself because the cluster gave up on this member (downed, removed,
    /// quarantined), rather than for a graceful leave, which ends the process.</summary>
    private static bool EndedByTheCluster(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason is { } reason and not CoordinatedShutdown.ClusterLeavingReason;

    /// <summary>The other owners of the ring the downed incarnation knew: the cluster it should join again.</summary>
    private static IReadOnlyList<Address> RingPeers(ActorSystem system)
    {
        var ring = LeaderlessStore.Get(system).Ring;
        return ring.Members.Where(m => m != ring.Self).OrderBy(m => m.ToString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>The node's configuration with the ring's other owners as seed nodes, so the new incarnation joins the
    /// cluster that downed it rather than forming one of its own (this node may have been its own first seed); the
    /// configured seeds stay as a fallback when the ring knew no peer.</summary>
    private static NodeConfiguration Rejoining(NodeConfiguration node, IReadOnlyList<Address> peers)
    {
        if (peers.Count == 0) return node;
        var seeds = string.Join(", ", peers.Select(p => $"\"{p}\""));
        return node with { Config = ConfigurationFactory.ParseString($"akka.cluster.seed-nodes = [{seeds}]").WithFallback(node.Config), HasSeeds = true };
    }
}

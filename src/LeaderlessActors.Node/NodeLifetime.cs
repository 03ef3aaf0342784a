using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace LeaderlessActors.Node;

/// <summary>
/// Runs the node, and runs it again when Akka took it out of the cluster: a node that was downed (its side of a partition
/// lost, a long pause made the others give up on it) has its ActorSystem terminated by Akka, and would otherwise sit
/// idle with its data until someone restarts the process. Instead a new ActorSystem incarnation starts in the same
/// process with the same configuration and storage, and joins again; the ring kept its place meanwhile (a downing never
/// moves partitions). The same happens when its join went unanswered for
/// <c>akka.cluster.shutdown-after-unsuccessful-join-seed-nodes</c>: after kill -9 restarts a seed's remoting was seen to
/// answer a new incarnation's InitJoin into a stale association with an earlier incarnation of the same address, for as
/// long as the seed ran; a new incarnation (a new UID, new connections) is let in. A requested stop (SIGTERM, Ctrl-C) or a
/// completed graceful leave ends the process as before.
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
                try
                {
                    await app.RunAsync().ConfigureAwait(false);
                }
                catch (Exception) when (system is null)
                {
                    // Akka may end the system while the host is still starting (the join deadline passed first on a slow
                    // start), and the host's start then fails on the terminating system: the same case as a later end.
                    system = await TerminatedSystemOfAsync(app).ConfigureAwait(false);
                    if (system is null || !EndedByTheCluster(system)) throw;
                }
                if (stopAsked || system is null || !EndedByTheCluster(system)) return 0;
                peers = RingPeers(system);
                Console.Error.WriteLine(CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterJoinUnsuccessfulReason
                    ? $"This node could not join the cluster within {Cluster.Get(system).Settings.ShutdownAfterUnsuccessfulJoinSeedNodes}; " +
                      $"starting a new incarnation that joins through [{string.Join(", ", peers)}]."
                    : $"This node was downed by the cluster; starting a new incarnation that joins again through [{string.Join(", ", peers)}].");
            }
            configuration = Rejoining(node, peers);
        }
    }

    /// <summary>Whether Akka shut the system down by itself because the cluster gave up on this member (downed, removed,
    /// quarantined) or its join went unanswered too long, rather than for a graceful leave, which ends the process.</summary>
    private static bool EndedByTheCluster(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason is { } reason and not CoordinatedShutdown.ClusterLeavingReason;

    /// <summary>The host's ActorSystem once it has terminated, if Akka.Hosting created one and it terminates within a
    /// few seconds; otherwise null.</summary>
    private static async Task<ActorSystem?> TerminatedSystemOfAsync(WebApplication app)
    {
        ActorSystem? system;
        try
        {
            system = app.Services.GetService<ActorSystem>();
        }
        catch (Exception)
        {
            return null; // the host failed before it had a system
        }
        if (system is null) return null;
        await Task.WhenAny(system.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        return system.WhenTerminated.IsCompleted ? system : null;
    }

    /// <summary>The other owners of the ring the downed incarnation knew: the cluster it should join again (none when the
    /// incarnation ended before its store started).</summary>
    private static IReadOnlyList<Address> RingPeers(ActorSystem system)
    {
        if (!system.HasExtension<LeaderlessStore>()) return [];
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

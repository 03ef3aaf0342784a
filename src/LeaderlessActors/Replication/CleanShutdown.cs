using Akka;
using Akka.Actor;
using Akka.Event;

namespace LeaderlessActors.Replication;

/// <summary>
/// Hooks the clean stop of this node's replicas into Akka's coordinated shutdown, in its last phase before the actor
/// system terminates: the cluster has been left by then, while the journal and snapshot store still run (they stop with
/// the actor system), so each replica can persist its clean-stop marker. A replica's PostStop is too late for that: a
/// persistent actor persists nothing once it stops, and at termination the journal may already be gone. A crash skips
/// coordinated shutdown altogether, which is the point: the replica then takes a new epoch at its next start.
/// </summary>
internal static class CleanShutdown
{
    private const string Phase = CoordinatedShutdown.PhaseBeforeActorSystemTerminate;

    /// <summary>Asks <paramref name="host"/> to stop its replicas cleanly when <paramref name="system"/> shuts down in
    /// order, waiting at most the phase's timeout (<c>akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout</c>).</summary>
    public static void Register(ActorSystem system, IActorRef host)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        var timeout = shutdown.Timeout(Phase);
        shutdown.AddTask(Phase, "leaderless-stop-replicas-cleanly", async () =>
        {
            try
            {
                await host.Ask<Done>(ReplicaHost.StopReplicasCleanly.Instance, timeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                // Safe, only slower to recover from: the replicas that did not get to persist their marker take new epochs.
                system.Log.Warning("Not every replica stopped cleanly within {0}; those that did not take a new epoch at the next start", timeout);
            }
            return Done.Instance;
        });
    }
}

using LeaderlessActors.Benchmarks.Load;

namespace LeaderlessActors.Benchmarks.Targets;

/// <summary>
/// The remote round trips one store operation needs on 3 nodes with N = 3, the client on a replica node and the store's
/// defaults: a write goes to every replica (its own and two remote) at every level; a read asks R replicas first, its
/// own and R - 1 remote (hedging to the others only when one of them fails or is slow).
/// </summary>
internal static class StoreRoundTrips
{
    public static double Of(Workload workload)
    {
        const double write = 2;
        double read = workload.Level switch
        {
            Level.One => 0,
            Level.Quorum => 1,
            _ => 2,
        };
        return workload.PutFraction * write + (1 - workload.PutFraction) * read;
    }
}

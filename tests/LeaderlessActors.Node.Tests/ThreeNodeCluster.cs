using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Three node processes shared by the specs of one class. Node 2 coordinates at most one request at a time
/// and lets none wait (<c>leaderless.max-live-coordinators = 1</c>, <c>max-queued-requests = 0</c>) so that overload can
/// be provoked there; the other specs talk to nodes 0 and 1.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    public NodeProcesses Nodes { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Nodes = await NodeProcesses.StartAsync(3, i => i == 2 ? "leaderless.max-live-coordinators = 1\nleaderless.max-queued-requests = 0" : null);

    public async Task DisposeAsync() => await Nodes.DisposeAsync();
}

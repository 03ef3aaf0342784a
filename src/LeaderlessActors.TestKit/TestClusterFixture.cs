using Xunit;

namespace LeaderlessActors.TestKit;

/// <summary>
/// An xunit fixture (<c>IClassFixture&lt;T&gt;</c> or a collection fixture) that starts one <see cref="TestCluster"/> for
/// the specs of a class and disposes it after them. Derive from it to change <see cref="Options"/>.
/// </summary>
public class TestClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    /// <summary>The running cluster.</summary>
    /// <exception cref="InvalidOperationException">Read before xunit initialized the fixture.</exception>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster starts in InitializeAsync.");

    /// <summary>How the cluster starts (default: 3 nodes on SQLite).</summary>
    protected virtual TestClusterOptions Options => new();

    /// <summary>Starts the cluster and waits until it converged.</summary>
    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(Options);

    /// <summary>Terminates every node and deletes the temporary data.</summary>
    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

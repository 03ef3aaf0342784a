using Akka.Actor;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>The <c>node</c> command: one cluster node in its own process, started by <see cref="NodeProcessCluster"/>.
/// It joins the seed, prints <see cref="ReadyLine"/> and runs until its standard input closes.</summary>
internal static class ChildNode
{
    public const string ReadyLine = "bench-node-ready";

    public static IEnumerable<string> Arguments(NodeSetup setup, int index, string seed)
    {
        yield return "node";
        yield return "--index";
        yield return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--seed";
        yield return seed;
        yield return "--storage";
        yield return setup.Storage?.ToString().ToLowerInvariant() ?? "none";
        yield return "--data-dir";
        yield return setup.DataDirectory;
        yield return "--sqlite-journal";
        yield return setup.SqliteJournalName;
        yield return "--schema-prefix";
        yield return setup.PostgresSchemaPrefix;
        if (setup.DistributedData) yield return "--ddata";
        if (setup.PostgresConnectionString is { } postgres)
        {
            yield return "--postgres";
            yield return postgres;
        }
    }

    public static async Task<int> RunAsync(NodeSetup setup, int index, string seed)
    {
        var system = ClusterUnderTest.StartNode(setup, index, port: 0);
        var (host, port) = (seed[..seed.LastIndexOf(':')], int.Parse(seed[(seed.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        Akka.Cluster.Cluster.Get(system).Join(new Address("akka.tcp", NodeSetup.SystemName, host, port));
        Console.WriteLine(ReadyLine);
        await Console.In.ReadToEndAsync();
        await ClusterUnderTest.LeaveAsync(system);
        await system.Terminate();
        return 0;
    }
}

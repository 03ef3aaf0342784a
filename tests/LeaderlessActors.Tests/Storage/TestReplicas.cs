using LeaderlessActors.Membership;
using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Tests.Storage;

/// <summary>Options for replica actors under test, on the in-memory journal, with a ring of this node and optional peers.</summary>
internal static class TestReplicas
{
    public static readonly Address Node = new("akka.tcp", "test", "node", 1);

    public const int Partitions = 1024;

    /// <summary>Where actors under test report, apart from any store's metrics (a meter of the test node's own).</summary>
    public static readonly LeaderlessActors.Diagnostics.StoreMetrics Metrics = new(Node.ToString(), null);

    public static readonly RepairSettings Repair = new()
    {
        ChunkBytes = 1024, IdleTimeout = TimeSpan.FromSeconds(5), AskAgainAfter = TimeSpan.FromMinutes(1),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        ReadHold = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>A replica host on the journal plugin <paramref name="journal"/> and the in-memory snapshot store.</summary>
    public static Props HostProps(string journal, Topology topology, string config = "") =>
        ReplicaHost.Props(LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString($"leaderless.partition-count = {Partitions}\n{config}")),
            Node, new LeaderlessActors.Storage.StoragePlugins(journal, "akka.persistence.snapshot-store.inmem", "spec"), topology,
            new TaskCompletionSource(), Metrics);

    /// <summary>HOCON that declares the journal plugin <paramref name="id"/>, implemented by <paramref name="type"/>.</summary>
    public static string JournalPlugin(string id, Type type) => $$"""
        {{id}} {
            class = "{{type.AssemblyQualifiedName}}"
            plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    /// <summary>A replica of <paramref name="partition"/> whose ring holds this node and the <paramref name="peers"/>
    /// (each with the given replica host), every one of them a replica of every partition.</summary>
    public static ReplicaOptions Options(int partition, int snapshotEvery = 100, params (Address Node, IActorRef Host)[] peers)
    {
        var members = peers.Select(p => p.Node).Append(Node).ToArray();
        var hosts = peers.ToImmutableDictionary(p => p.Node, p => p.Host);
        var topology = new Topology(new TopologySnapshot(Node, new HashRing(members, Partitions, members.Length, 8), [], hosts));
        return new ReplicaOptions(partition, Node, "akka.persistence.journal.inmem", "akka.persistence.snapshot-store.inmem",
            snapshotEvery, 1000, topology, Repair, KeyLimits.From(LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.Empty)))
        {
            Metrics = Metrics,
        };
    }
}

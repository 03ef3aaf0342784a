using Akka.Configuration;

namespace LeaderlessActors.TestKit;

/// <summary>The HOCON of one test node: real TCP on 127.0.0.1 through the throttle adapter (so links can be cut in
/// process), failure detection fast enough for specs, and no coordinated shutdown on terminate (so a terminate is a
/// crash; a graceful leave is an explicit <see cref="TestCluster.LeaveAsync"/>).</summary>
internal static class NodeHocon
{
    /// <summary>The address scheme of test nodes: the throttle adapter over TCP.</summary>
    public const string Protocol = "akka.trttl.tcp";

    /// <summary>The ActorSystem name every test node shares, as cluster members must.</summary>
    public const string SystemName = "leaderless";

    public static Config For(TestClusterOptions options, int index, int port, string dataDir)
    {
        var storage = options.Storage == TestStorage.Memory ? "memory" : "sqlite";
        var own = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{options.LogLevel}}
              stdout-loglevel = {{options.LogLevel}}
              log-dead-letters = off
              actor.provider = cluster
              coordinated-shutdown.run-by-actor-system-terminate = off
              coordinated-shutdown.terminate-actor-system = off
              remote.dot-netty.tcp {
                hostname = 127.0.0.1
                port = {{port}}
                applied-adapters = [trttl]
                maximum-frame-size = 2MiB
              }
              cluster {
                downing-provider-class = ""
                gossip-interval = 200ms
                seed-node-timeout = 1s
                retry-unsuccessful-join-after = 1s
                failure-detector {
                  heartbeat-interval = 200ms
                  # 3 s rather than 1 s: a loaded 2-core machine delays heartbeats past 1 s and flags live nodes.
                  acceptable-heartbeat-pause = 3s
                }
              }
            }
            # Off unless a spec turns it on: background repair would race a spec's look at a replica it left stale on purpose.
            leaderless.anti-entropy.enabled = off
            leaderless.storage.backend = {{storage}}
            leaderless.storage.sqlite.data-dir = "{{dataDir.Replace("\\", "/")}}"
            """);
        // The user's HOCON wins over the test cluster's, and node-specific HOCON over the cluster-wide one.
        return ConfigurationFactory.ParseString(options.NodeConfig?.Invoke(index) ?? "")
            .WithFallback(ConfigurationFactory.ParseString(options.ExtraConfig))
            .WithFallback(own);
    }
}

using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using LeaderlessActors;
using Xunit;

namespace LeaderlessActors.Tests.Readme;

/// <summary>
/// The README's embedding examples, run as written: each <c>#region snippet: name</c> below is the code of the README's
/// ```csharp block marked <c>&lt;!-- snippet: name --&gt;</c>, and <see cref="ReadmeSnippetSpec"/> fails when the two differ.
/// The assertions after each region check what the example claims.
/// </summary>
public sealed class ReadmeExamplesSpec
{
    [Fact]
    public async Task The_local_embedding_example_runs_as_written()
    {
        #region snippet: embedding-local
        var system = ActorSystem.Create("app", "leaderless.replication-factor = 1");   // for a cluster, see below
        var store = LeaderlessStore.Get(system);
        await store.StorageReady;                                    // the journal is open (it can take seconds)

        await store.PutAsync("user:42", "Ada"u8.ToArray());
        var read = await store.GetAsync("user:42");                  // read.Found, read.Values (siblings), read.Context
        await store.PutAsync("user:42", "Ada L."u8.ToArray(), read.Context);   // replaces what the read saw
        await store.DeleteAsync("user:42", (await store.GetAsync("user:42")).Context);
        #endregion

        try
        {
            Assert.True(read.Found);
            Assert.Contains(read.Values, value => value.AsSpan().SequenceEqual("Ada"u8));
            Assert.False((await store.GetAsync("user:42")).Found);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task The_clustered_embedding_example_runs_as_written()
    {
        #region snippet: embedding-cluster
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }   # this member's address; port 0: any free port
            leaderless.replication-factor = 1                               # N = 3 by default, placed on 3 distinct members
            """).WithFallback(LeaderlessConfig.Default());
        var system = ActorSystem.Create("app", config);
        var cluster = Cluster.Get(system);
        await cluster.JoinAsync(cluster.SelfAddress);   // the first member joins itself; the others join it (or use akka.cluster.seed-nodes)
        var store = LeaderlessStore.Get(system);
        await store.StorageReady;                                    // the journal is open (it can take seconds)

        await store.PutAsync("user:42", "Ada"u8.ToArray());
        var read = await store.GetAsync("user:42");
        #endregion

        try
        {
            Assert.True(read.Found);
            // LeaderlessStore.Get checked this too: the frame Akka.Remote runs with carries the largest value.
            var transports = ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).RemoteSettings.Transports;
            Assert.All(transports, t => Assert.True(t.Config.GetByteSize("maximum-frame-size", null) > store.Settings.MaxValueBytes));
        }
        finally
        {
            await system.Terminate();
            // A file per member address: port 0 gives every run a new one.
            var file = Path.GetFullPath(Path.Combine("leaderless-data", $"node-127.0.0.1-{cluster.SelfAddress.Port}.db"));
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
        }
    }
}

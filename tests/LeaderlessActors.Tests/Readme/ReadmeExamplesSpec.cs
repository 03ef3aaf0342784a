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
        // The example's SQLite file sits in the working folder: start without one a run before may have left.
        DeleteSqliteFile("node-local.db");

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
            DeleteSqliteFile("node-local.db");
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
            DeleteSqliteFile($"node-127.0.0.1-{cluster.SelfAddress.Port}.db");   // port 0: a new file every run
        }
    }

    /// <summary>Deletes a SQLite file (and its WAL files) the examples leave in <c>leaderless-data</c>, the default data-dir.</summary>
    private static void DeleteSqliteFile(string name)
    {
        var file = Path.GetFullPath(Path.Combine("leaderless-data", name));
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            if (File.Exists(path)) File.Delete(path);
    }
}

using Akka.Actor;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class EmbeddedSpec
{
    [Fact]
    public async Task A_store_in_a_non_clustered_actor_system_serves_one_replica_per_key()
    {
        using var system = ActorSystem.Create("embedded", """
            leaderless.replication-factor = 1
            leaderless.storage.backend = memory
            akka.loglevel = WARNING
            """);
        var store = LeaderlessStore.Get(system);

        var put = await store.PutAsync("k", "v"u8.ToArray());
        var read = await store.GetAsync("k");

        Assert.Equal("v"u8.ToArray(), Assert.Single(read.Values));
        Assert.Equal(put.Context, read.Context);
    }

    [Fact]
    public async Task A_quorum_that_needs_more_nodes_than_the_cluster_has_fails_with_the_reason()
    {
        using var system = ActorSystem.Create("embedded", "leaderless.storage.backend = memory\nakka.loglevel = WARNING");
        var store = LeaderlessStore.Get(system);

        var e = await Assert.ThrowsAsync<QuorumNotReachedException>(() => store.PutAsync("k", "v"u8.ToArray()));

        Assert.Equal(2, e.Required);
        Assert.Contains("distinct nodes", e.Reason);
    }

    [Fact]
    public void A_bad_setting_stops_the_store_at_start_up_naming_the_key()
    {
        using var system = ActorSystem.Create("embedded", "leaderless.partition-count = lots\nakka.loglevel = OFF");
        var e = Assert.Throws<LeaderlessConfigurationException>(() => LeaderlessStore.Get(system));
        Assert.Equal("leaderless.partition-count", e.Key);
    }
}

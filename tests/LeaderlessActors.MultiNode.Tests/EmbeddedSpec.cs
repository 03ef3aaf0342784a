using Akka.Actor;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class EmbeddedSpec
{
    /// <summary>A non-clustered system holding one in-memory replica per key, plus <paramref name="config"/>.</summary>
    private static ActorSystem SingleNode(string config = "") => ActorSystem.Create("embedded", """
        leaderless.replication-factor = 1
        leaderless.storage.backend = memory
        akka.loglevel = WARNING

        """ + config); // later keys win in HOCON

    [Fact]
    public async Task A_store_in_a_non_clustered_actor_system_serves_one_replica_per_key()
    {
        using var system = SingleNode();
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
    public async Task A_clustered_node_that_has_not_joined_yet_fails_requests_with_quorum_details()
    {
        // Before the node sees its first member event its ring is empty; that is a plain "no quorum", not a crash.
        using var system = ActorSystem.Create("unjoined", """
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 2MiB }
            leaderless.storage.backend = memory
            akka.loglevel = WARNING
            """);
        var store = LeaderlessStore.Get(system);
        var options = new ReadOptions { Timeout = TimeSpan.FromSeconds(1) };

        var first = await Assert.ThrowsAsync<QuorumNotReachedException>(() => store.GetAsync("k", options));
        var second = await Assert.ThrowsAsync<QuorumNotReachedException>(() => store.GetAsync("other", options));

        Assert.All(new[] { first, second }, e => Assert.Equal((2, 0), (e.Required, e.Answered)));
        Assert.Contains("0 member(s)", first.Reason);
    }

    [Fact]
    public void A_bad_setting_stops_the_store_at_start_up_naming_the_key()
    {
        using var system = ActorSystem.Create("embedded", "leaderless.partition-count = lots\nakka.loglevel = OFF");
        var e = Assert.Throws<LeaderlessConfigurationException>(() => LeaderlessStore.Get(system));
        Assert.Equal("leaderless.partition-count", e.Key);
    }

    [Fact]
    public async Task Requests_past_the_live_coordinator_bound_wait_their_turn_and_all_succeed()
    {
        using var system = SingleNode("leaderless.max-live-coordinators = 2");
        var store = LeaderlessStore.Get(system);

        // 50 at once through 2 coordinator slots: the rest wait in the gateway's queue (default 10000) and start as
        // coordinators finish, so the burst is slowed, not refused.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.PutAsync($"k{i}", "v"u8.ToArray())));

        foreach (var i in new[] { 0, 25, 49 }) Assert.Single((await store.GetAsync($"k{i}")).Values);
    }

    [Fact]
    public async Task Requests_past_the_live_coordinator_bound_fail_at_once_with_an_overload_error_when_nothing_may_wait()
    {
        using var system = SingleNode("leaderless.max-live-coordinators = 2\nleaderless.max-queued-requests = 0");
        var store = LeaderlessStore.Get(system);

        var burst = Enumerable.Range(0, 50).Select(i => store.PutAsync($"k{i}", "v"u8.ToArray())).ToArray();
        var outcomes = await Task.WhenAll(burst.Select(async t =>
        {
            try { await t; return "ok"; }
            catch (OverloadedException e) { Assert.Equal(2, e.Limit); return "overloaded"; }
        }));

        Assert.Contains("overloaded", outcomes); // a burst of 50 cannot fit in 2 coordinators
        Assert.Contains("ok", outcomes);
        await store.PutAsync("after", "v"u8.ToArray()); // the bound frees up as coordinators finish
    }

    [Fact]
    public async Task A_write_that_gets_no_answer_from_its_node_is_reported_as_unknown_not_as_an_untyped_timeout()
    {
        using var system = SingleNode("akka.loglevel = OFF");
        var store = LeaderlessStore.Get(system);
        system.Stop(store.Gateway); // stands in for a node too starved to answer by the coordinator's deadline

        var fast = new WriteOptions { Timeout = TimeSpan.FromMilliseconds(100) };
        var write = await Assert.ThrowsAsync<WriteOutcomeUnknownException>(() => store.PutAsync("k", "v"u8.ToArray(), options: fast));
        Assert.Equal(1, write.Required);
        Assert.Contains("overloaded", write.Reason);
        var read = await Assert.ThrowsAsync<QuorumNotReachedException>(() =>
            store.GetAsync("k", new ReadOptions { Timeout = TimeSpan.FromMilliseconds(100) }));
        Assert.False(read.IsOutcomeUnknown);
    }

    [Fact]
    public async Task A_request_cancelled_by_its_caller_throws_TaskCanceledException_and_a_later_one_is_served()
    {
        using var system = SingleNode("akka.loglevel = OFF");
        var store = LeaderlessStore.Get(system);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<TaskCanceledException>(() => store.PutAsync("k", "v"u8.ToArray(), cancellationToken: cancel.Token));
        // The cancelled write may still be stored; its reply, when it comes, is dropped, not taken for another call.
        await store.PutAsync("other", "w"u8.ToArray());
        Assert.Equal("w"u8.ToArray(), Assert.Single((await store.GetAsync("other")).Values));
    }

    [Fact]
    public async Task Storage_is_opened_at_start_up_and_reported_ready_before_the_first_request()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"leaderless-embedded-{Guid.NewGuid():N}");
        using (var system = SingleNode($"leaderless.storage.backend = sqlite\nleaderless.storage.sqlite.data-dir = \"{folder}\""))
        {
            var store = LeaderlessStore.Get(system);
            await store.StorageReady.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

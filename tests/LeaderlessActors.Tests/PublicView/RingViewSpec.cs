using Akka.Actor;
using Xunit;

namespace LeaderlessActors.Tests.PublicView;

/// <summary>The store's public, read-only view of placement on a store without clustering (its node is the whole ring).</summary>
public sealed class RingViewSpec : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("ring-view", "leaderless { replication-factor = 1, storage.backend = memory }");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();

    [Fact]
    public void A_store_alone_lists_itself_as_the_only_replica_of_every_partition()
    {
        var store = LeaderlessStore.Get(_system);
        var ring = store.Ring;

        Assert.Equal(store.Settings.PartitionCount, ring.PreferenceLists.Count);
        Assert.All(ring.PreferenceLists, owners => Assert.Equal([ring.Self], owners));
        Assert.Equal([ring.Self], ring.Members);
    }

    [Fact]
    public async Task The_partition_of_a_key_in_the_view_is_the_one_its_replicas_hold_it_in()
    {
        var store = LeaderlessStore.Get(_system);
        foreach (var key in new[] { "a", "key-0000042", "ünïcode/key" })
        {
            await store.PutAsync(key, [1]);
            var inspection = await store.InspectAsync(key);
            Assert.Equal(inspection.Partition, store.Ring.PartitionOf(key));
        }
    }

    [Fact]
    public void A_preference_list_of_the_view_cannot_be_changed_through_it()
    {
        var owners = LeaderlessStore.Get(_system).Ring.PreferenceLists[0];

        Assert.False(owners is Address[], "a list that is an array can be cast back and changed");
        Assert.Throws<NotSupportedException>(() => ((IList<Address>)owners)[0] = new Address("akka", "elsewhere"));
    }

    [Fact]
    public void A_view_not_taken_from_a_store_has_no_partitions_to_place_a_key_in()
    {
        var empty = new RingView(new Address("akka", "none"), new HashSet<Address>(), new HashSet<Address>());

        Assert.Throws<InvalidOperationException>(() => empty.PartitionOf("key"));
    }
}

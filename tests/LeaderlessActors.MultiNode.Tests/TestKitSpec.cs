using System.Text;
using LeaderlessActors.TestKit.Chaos;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>The TestKit's own promises: leaves and joins change every ring, and a seed always draws the same schedule.</summary>
public class TestKitSpec
{
    [Fact]
    public async Task A_node_that_leaves_is_dropped_from_every_ring_and_a_joined_node_serves_what_was_written_before()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 4 });
        var keys = Enumerable.Range(0, 30).Select(i => $"key-{i}").ToArray();
        foreach (var key in keys) await cluster.Store(0).PutAsync(key, Encoding.UTF8.GetBytes(key));

        await cluster.LeaveAsync(3);
        var joined = await cluster.JoinNewNodeAsync();

        Assert.Equal(4, joined);
        Assert.Equal([0, 1, 2, 4], cluster.RunningNodes);
        Assert.Throws<InvalidOperationException>(() => cluster[3]);
        foreach (var node in cluster.RunningNodes)
        {
            Assert.DoesNotContain(cluster.AddressOf(3), cluster.Store(node).Ring.Members);
            Assert.Contains(cluster.AddressOf(joined), cluster.Store(node).Ring.Members);
        }
        foreach (var key in keys)
            await TestCluster.EventuallyAsync(async () =>
                    (await cluster.Store(joined).GetAsync(key)).Values is [var value] && Encoding.UTF8.GetString(value) == key,
                TimeSpan.FromSeconds(30), $"{key} to be read from the joined node");
        await cluster.AwaitReplicasAgreeAsync(keys);
    }

    [Fact]
    public void A_seed_always_draws_the_same_schedule_within_its_bounds_with_every_kind_of_fault()
    {
        var bounds = new FaultBounds { Duration = TimeSpan.FromSeconds(30), MaxNodes = 6 };

        var first = FaultSchedule.Generate(42, 5, bounds);
        var again = FaultSchedule.Generate(42, 5, bounds);

        Assert.Equal(first.Events, again.Events);
        Assert.NotEqual(first.Events, FaultSchedule.Generate(43, 5, bounds).Events);
        Assert.All(Enum.GetValues<FaultKind>(), kind => Assert.True(first.Count(kind) >= 1, $"no {kind}"));
        Assert.All(first.Events, e => Assert.InRange(e.Gap, bounds.MinGap, bounds.MaxGap));
        Assert.All(first.Events.Where(e => e.Kind is FaultKind.CutLink or FaultKind.Isolate or FaultKind.Crash),
            e => Assert.InRange(e.Hold, bounds.MinHold, bounds.MaxHold));
        Assert.All(first.Events.Where(e => e.Kind == FaultKind.CutLink), e => Assert.NotEqual(e.Node, e.Other));
        // Leaves keep MinMembers, joins stay under MaxNodes, and a node that left is never chosen again.
        var members = Enumerable.Range(0, 5).ToHashSet();
        foreach (var e in first.Events)
        {
            if (e.Kind == FaultKind.Join) Assert.True(members.Add(e.Node) && e.Node < bounds.MaxNodes);
            else Assert.Contains(e.Node, members);
            if (e.Kind == FaultKind.Leave) Assert.True(members.Remove(e.Node) && members.Count >= bounds.MinMembers);
        }
    }

    [Fact]
    public void Bounds_out_of_range_are_rejected_naming_the_bound()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            FaultSchedule.Generate(1, 5, new FaultBounds { MinHold = TimeSpan.FromSeconds(3), MaxHold = TimeSpan.FromSeconds(1) }));
        Assert.Equal("MaxHold", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultSchedule.Generate(1, 5, new FaultBounds { MaxNodes = 4 }));
    }
}

extern alias leaderlesstestkit;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Partitioning;
using leaderlesstestkit::LeaderlessActors.TestKit;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

public sealed class TracingSpec
{
    private static readonly TimeSpan SpansEnd = TimeSpan.FromSeconds(30);

    private static bool IsReplicaSpan(Activity span) => span.OperationName.StartsWith("leaderless.replica.", StringComparison.Ordinal);

    [Fact]
    public async Task A_quorum_put_and_a_quorum_get_on_three_nodes_trace_the_request_and_one_child_span_per_replica_asked()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 3, Storage = TestStorage.Memory });
        var store = cluster.Store(0);
        var nodes = Enumerable.Range(0, 3).Select(i => cluster.AddressOf(i).ToString()).Order().ToArray();
        using var recorder = new SpanRecorder();
        using (recorder.StartRoot())
            await store.PutAsync("user:traced", [1], options: new WriteOptions { Consistency = Consistency.Quorum });
        var put = await recorder.WaitForAsync(spans => spans.Count(IsReplicaSpan) == 3 && spans.Any(s => !IsReplicaSpan(s)), SpansEnd);

        var putSpan = AssertRequestSpan(put, "leaderless.put", "user:traced", "ok", store);
        var putReplicas = put.Where(IsReplicaSpan).ToArray();
        Assert.Equal(["leaderless.replica.store", "leaderless.replica.store", "leaderless.replica.write"], putReplicas.Select(s => s.OperationName).Order());
        AssertChildrenOf(putSpan, putReplicas, nodes, required: 2);

        using var reads = new SpanRecorder();
        using (reads.StartRoot())
            Assert.True((await store.GetAsync("user:traced", new ReadOptions { Consistency = Consistency.Quorum })).Found);
        // A hedging read (the default, leaderless.read-hedging) asks R = 2 replicas first, and the third only if it hedges.
        var get = await reads.WaitForAsync(spans => spans.Count(s => s.OperationName == "leaderless.replica.read") >= 2 && spans.Any(s => !IsReplicaSpan(s)), SpansEnd);

        var getSpan = AssertRequestSpan(get, "leaderless.get", "user:traced", "ok", store);
        // A replica the put reached last may be repaired too: its repair span is a child as well, but not a read.
        var readSpans = get.Where(s => s.OperationName == "leaderless.replica.read").ToArray();
        var asked = readSpans.Select(s => (string)s.GetTagItem(StoreTracing.ReplicaNodeTag)!).Order().ToArray();
        Assert.Equal(asked.Length, asked.Distinct().Count());
        Assert.Subset(nodes.ToHashSet(), asked.ToHashSet());
        AssertChildrenOf(getSpan, readSpans, asked, required: 2);
    }

    [Fact]
    public async Task A_request_that_cannot_reach_its_quorum_ends_its_span_with_error_status()
    {
        // Three replicas asked of a store alone: no quorum of distinct nodes is possible, and the request fails at once.
        var system = ActorSystem.Create("tracing-quorum-failure", "leaderless { replication-factor = 3, storage.backend = memory }");
        try
        {
            var store = LeaderlessStore.Get(system);
            using var recorder = new SpanRecorder();
            using (recorder.StartRoot())
                await Assert.ThrowsAsync<QuorumNotReachedException>(() => store.GetAsync("user:unreachable"));
            var spans = await recorder.WaitForAsync(spans => spans.Count > 0, SpansEnd);

            var span = AssertRequestSpan(spans, "leaderless.get", "user:unreachable", "quorum_not_reached", store);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("quorum_not_reached", span.StatusDescription);
            Assert.Equal(typeof(QuorumNotReachedException).FullName, span.GetTagItem(StoreTracing.ErrorTypeTag));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The one request span among <paramref name="spans"/>: named <paramref name="name"/>, a child of the test's
    /// root, tagged with <paramref name="key"/>'s hash and partition (never the key), the consistency and <paramref name="outcome"/>.</summary>
    private static Activity AssertRequestSpan(IReadOnlyList<Activity> spans, string name, string key, string outcome, LeaderlessStore store)
    {
        var span = Assert.Single(spans, s => !IsReplicaSpan(s));
        Assert.Equal(name, span.OperationName);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.NotNull(span.Parent); // the test's root: the caller's current activity
        Assert.Equal(outcome, span.GetTagItem(StoreTracing.OutcomeTag));
        Assert.Equal("quorum", span.GetTagItem(StoreTracing.ConsistencyTag));
        Assert.Equal(store.Ring.Self.ToString(), span.GetTagItem(StoreTracing.NodeTag));
        Assert.Equal(KeyPartitioner.Hash(key).ToString("x16", CultureInfo.InvariantCulture), span.GetTagItem(StoreTracing.KeyHashTag));
        Assert.Equal(new KeyPartitioner(store.Settings.PartitionCount).PartitionOf(key), span.GetTagItem(StoreTracing.PartitionTag));
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), tag => Equals(tag.Value, key));
        if (outcome == "ok") Assert.Equal(ActivityStatusCode.Unset, span.Status);
        return span;
    }

    /// <summary>One span per node of <paramref name="nodes"/>, each a client span child of <paramref name="parent"/>, at
    /// least <paramref name="required"/> of them answered.</summary>
    private static void AssertChildrenOf(Activity parent, Activity[] children, string[] nodes, int required)
    {
        Assert.Equal(nodes, children.Select(s => (string)s.GetTagItem(StoreTracing.ReplicaNodeTag)!).Order());
        Assert.All(children, child =>
        {
            Assert.Equal(ActivityKind.Client, child.Kind);
            Assert.Equal(parent.TraceId, child.TraceId);
            Assert.Equal(parent.SpanId, child.ParentSpanId);
            Assert.Equal(parent.GetTagItem(StoreTracing.PartitionTag), child.GetTagItem(StoreTracing.PartitionTag));
            Assert.IsType<bool>(child.GetTagItem(StoreTracing.AnsweredTag));
        });
        Assert.True(children.Count(c => (bool)c.GetTagItem(StoreTracing.AnsweredTag)! && c.Status != ActivityStatusCode.Error) >= required);
    }
}

using System.Diagnostics;
using LeaderlessActors.Coordination;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests.Diagnostics;

/// <summary>A coordinator's replica spans, with TestProbes as the replicas: how each one ends. On virtual time: a
/// deadline or settle window passes when a spec says so, after the answers it sent.</summary>
public sealed class ReplicaSpansSpecs(ITestOutputHelper output) : CoordinatorSpec(output, VirtualTime.Config)
{
    private static readonly TimeSpan SpansEnd = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_read_ends_the_span_of_an_answer_as_answered_of_a_refusal_with_error_and_of_a_silent_replica_as_unanswered()
    {
        using var recorder = new SpanRecorder();
        using var root = recorder.StartRoot();
        var replicas = Replicas(3);
        var plan = Plan(replicas, required: 2, ShortTimeout) with { Trace = root.Context };
        var (coordinator, watcher) = Start(ReadCoordinator.Props(plan, CorrelationId, TestActor, Window, TestReplicas.Metrics));
        foreach (var replica in replicas) replica.ExpectMsg<ReadKey>();

        replicas[0].Reply(new KeyRead(RequestId, Node(1), SiblingSet.Empty));
        replicas[1].Reply(new ReplicaFailed(RequestId, Node(2), ReplicaFailure.Recovering, "recovering"));
        PassTime(coordinator, ShortTimeout);
        ExpectMsg<RequestFailed>(); // n3 stays silent past the deadline
        watcher.ExpectTerminated(coordinator);

        var spans = ByNode(await recorder.WaitForAsync(s => s.Count == 3, SpansEnd), root);
        Assert.All(spans.Values, s => Assert.Equal(ReplicaSpans.Read, s.OperationName));
        AssertEnded(spans[Node(1).ToString()], answered: true, failure: null);
        AssertEnded(spans[Node(2).ToString()], answered: true, failure: nameof(ReplicaFailure.Recovering));
        AssertEnded(spans[Node(3).ToString()], answered: false, failure: null);
    }

    [Fact]
    public async Task A_write_traces_the_coordinating_replica_then_each_replica_it_stores_the_version_on()
    {
        using var recorder = new SpanRecorder();
        using var root = recorder.StartRoot();
        var replicas = Replicas(3);
        var plan = Plan(replicas, required: 2, LongTimeout) with { Trace = root.Context };
        var (coordinator, _) = Start(WriteCoordinator.Props(plan, StoreOperation.Put, [1], VersionVector.Empty, maxSiblings: 5, Node(1),
            CorrelationId, TestActor, Window));
        replicas[0].ExpectMsg<CoordinateWrite>();
        replicas[0].Reply(new WriteCoordinated(RequestId, Node(1), Written(1, epoch: 1), new Dot(1, 1)));
        foreach (var other in replicas.Skip(1)) other.ExpectMsg<MergeKeyState>();
        replicas[1].Reply(new KeyStored(RequestId, Node(2)));
        ExpectMsg<WriteResponse>(); // n3 stays silent until the settle window closes
        PassTime(coordinator, Window);

        var spans = ByNode(await recorder.WaitForAsync(s => s.Count == 3, SpansEnd), root);
        Assert.Equal(ReplicaSpans.Write, spans[Node(1).ToString()].OperationName);
        AssertEnded(spans[Node(1).ToString()], answered: true, failure: null);
        Assert.Equal(ReplicaSpans.Store, spans[Node(2).ToString()].OperationName);
        AssertEnded(spans[Node(2).ToString()], answered: true, failure: null);
        Assert.Equal(ReplicaSpans.Store, spans[Node(3).ToString()].OperationName);
        AssertEnded(spans[Node(3).ToString()], answered: false, failure: null);
    }

    [Fact]
    public void A_request_without_a_trace_context_gets_no_replica_spans_at_all()
    {
        using var recorder = new SpanRecorder(); // someone listens, but the request was not traced
        Assert.Null(ReplicaSpans.For(Plan(Replicas(1), required: 1, ShortTimeout)));
    }

    /// <summary>The spans by replica node, each a client span child of <paramref name="root"/>.</summary>
    private static Dictionary<string, Activity> ByNode(IReadOnlyList<Activity> spans, Activity root)
    {
        Assert.All(spans, s =>
        {
            Assert.Equal(ActivityKind.Client, s.Kind);
            Assert.Equal(root.SpanId, s.ParentSpanId);
            Assert.Equal(Partition, s.GetTagItem(StoreTracing.PartitionTag));
        });
        return spans.ToDictionary(s => (string)s.GetTagItem(StoreTracing.ReplicaNodeTag)!);
    }

    private static void AssertEnded(Activity span, bool answered, string? failure)
    {
        Assert.Equal(answered, span.GetTagItem(StoreTracing.AnsweredTag));
        Assert.Equal(failure, span.GetTagItem(StoreTracing.FailureTag));
        Assert.Equal(failure is null ? ActivityStatusCode.Unset : ActivityStatusCode.Error, span.Status);
    }
}

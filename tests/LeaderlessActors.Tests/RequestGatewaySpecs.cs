using LeaderlessActors.Membership;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using LeaderlessActors.Coordination;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>The node's request entry point: validation before anything is sent, planning, and the coordinator bound.</summary>
public sealed class RequestGatewaySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    // One coordinator slot and no queue: past the slot a request is refused at once.
    private static readonly LeaderlessSettings Settings = SettingsWithQueue(0);

    private static LeaderlessSettings SettingsWithQueue(int queued) => LeaderlessSettings.Create(ConfigurationFactory.ParseString(
        $"leaderless {{ partition-count = 16, max-live-coordinators = 1, max-queued-requests = {queued} }}"));

    private static Address Node(int i) => new("akka.tcp", "s", $"n{i}", 1);

    /// <summary>A gateway on n1 of a cluster of <paramref name="members"/> nodes whose replica hosts are probes.</summary>
    private (IActorRef Gateway, TestProbe[] Hosts) Gateway(int members = 3, params Address[] unreachable) =>
        Gateway(Settings, members, unreachable);

    private (IActorRef Gateway, TestProbe[] Hosts) Gateway(LeaderlessSettings settings, int members = 3, params Address[] unreachable) =>
        Gateway(settings, TestReplicas.Metrics, members, unreachable);

    private (IActorRef Gateway, TestProbe[] Hosts) Gateway(LeaderlessSettings settings, LeaderlessActors.Diagnostics.StoreMetrics metrics,
        int members = 3, params Address[] unreachable)
    {
        var hosts = Enumerable.Range(1, members).Select(i => CreateTestProbe($"host-n{i}")).ToArray();
        var ring = new HashRing(hosts.Select((_, i) => Node(i + 1)), Settings.PartitionCount, Settings.ReplicationFactor, 16);
        var snapshot = new TopologySnapshot(Node(1), ring, [.. unreachable],
            hosts.Select((h, i) => KeyValuePair.Create(Node(i + 1), h.Ref)).ToImmutableDictionary());
        return (Sys.ActorOf(RequestGateway.Props(settings, new Topology(snapshot), null, metrics)), hosts);
    }

    [Fact]
    public void RequestGateway_rejects_every_invalid_request_without_contacting_any_replica()
    {
        var (gateway, hosts) = Gateway();
        foreach (var (name, (request, reason)) in RequestValidatorSpecs.InvalidRequests)
        {
            gateway.Tell(request);
            var failed = ExpectMsg<RequestFailed>();
            Assert.Equal(request.CorrelationId, failed.CorrelationId);
            Assert.True(reason == Assert.IsType<InvalidRequestException>(failed.Error).Reason, name);
        }
        foreach (var host in hosts) host.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void RequestGateway_sends_a_valid_read_to_every_replica_of_the_keys_partition()
    {
        var (gateway, hosts) = Gateway();
        gateway.Tell(new GetRequest(Guid.NewGuid(), "user:42"));
        var partition = new KeyPartitioner(Settings.PartitionCount).PartitionOf("user:42");
        foreach (var host in hosts)
        {
            var read = host.ExpectMsg<ReadKey>();
            Assert.Equal(("user:42", partition), (read.Key, read.Partition));
        }
    }

    [Fact]
    public void RequestGateway_answers_Overloaded_past_max_live_coordinators()
    {
        var (gateway, _) = Gateway();
        gateway.Tell(new GetRequest(Guid.NewGuid(), "a"));
        var second = new GetRequest(Guid.NewGuid(), "b");
        gateway.Tell(second);

        var failed = ExpectMsg<RequestFailed>();
        Assert.Equal(second.CorrelationId, failed.CorrelationId);
        Assert.Equal(1, Assert.IsType<OverloadedException>(failed.Error).Limit);
    }

    [Fact]
    public void A_request_past_the_coordinator_bound_waits_and_starts_once_the_coordinator_before_it_finished()
    {
        var (gateway, hosts) = Gateway(SettingsWithQueue(10));
        gateway.Tell(new InspectRequest(Guid.NewGuid(), "a", TimeSpan.FromSeconds(3)));
        foreach (var host in hosts) host.ExpectMsg<InspectKey>();
        var second = new GetRequest(Guid.NewGuid(), "b");
        gateway.Tell(second);

        // It waits (no refusal, nothing sent) while the first coordinator holds the only slot.
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        foreach (var host in hosts) host.ExpectNoMsg(TimeSpan.Zero);

        // The first answers (its inspection times out after 3 s with the probes silent), stops and frees the slot.
        ExpectMsg<InspectResponse>(TimeSpan.FromSeconds(10));
        foreach (var host in hosts) Assert.Equal("b", host.ExpectMsg<ReadKey>(TimeSpan.FromSeconds(10)).Key);
    }

    [Fact]
    public void The_gateway_reports_the_requests_it_coordinates_and_those_waiting()
    {
        var metrics = new LeaderlessActors.Diagnostics.StoreMetrics("n1", null);
        try
        {
            var (gateway, hosts) = Gateway(SettingsWithQueue(10), metrics);
            gateway.Tell(new InspectRequest(Guid.NewGuid(), "a", TimeSpan.FromSeconds(20)));
            foreach (var host in hosts) host.ExpectMsg<InspectKey>();
            gateway.Tell(new GetRequest(Guid.NewGuid(), "b"));
            gateway.Tell(new GetRequest(Guid.NewGuid(), "c"));

            AwaitAssert(() =>
            {
                Assert.Equal(1, Diagnostics.MetricsObserver.Observe<int>(metrics, "leaderless.requests.coordinating"));
                Assert.Equal(2, Diagnostics.MetricsObserver.Observe<int>(metrics, "leaderless.requests.waiting"));
            }, TimeSpan.FromSeconds(5));
        }
        finally
        {
            metrics.Dispose();
        }
    }

    [Fact]
    public void A_waiting_request_whose_timeout_passes_fails_as_overloaded_without_contacting_a_replica()
    {
        var (gateway, hosts) = Gateway(SettingsWithQueue(10));
        gateway.Tell(new InspectRequest(Guid.NewGuid(), "a", TimeSpan.FromSeconds(20)));
        foreach (var host in hosts) host.ExpectMsg<InspectKey>();
        var waiting = new GetRequest(Guid.NewGuid(), "b", new ReadOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        gateway.Tell(waiting);

        var failed = ExpectMsg<RequestFailed>(TimeSpan.FromSeconds(5));
        Assert.Equal(waiting.CorrelationId, failed.CorrelationId);
        Assert.Equal(1, Assert.IsType<OverloadedException>(failed.Error).Limit);
        foreach (var host in hosts) host.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_request_that_finds_the_queue_full_fails_as_overloaded_at_once()
    {
        var (gateway, _) = Gateway(SettingsWithQueue(1));
        gateway.Tell(new InspectRequest(Guid.NewGuid(), "a", TimeSpan.FromSeconds(20)));
        gateway.Tell(new GetRequest(Guid.NewGuid(), "b"));
        var third = new GetRequest(Guid.NewGuid(), "c");
        gateway.Tell(third);

        var failed = ExpectMsg<RequestFailed>();
        Assert.Equal(third.CorrelationId, failed.CorrelationId);
        Assert.IsType<OverloadedException>(failed.Error);
    }

    [Fact]
    public void RequestGateway_fails_with_quorum_details_when_the_cluster_has_fewer_members_than_required()
    {
        var (gateway, hosts) = Gateway(members: 2);
        gateway.Tell(new PutRequest(Guid.NewGuid(), "k", [1], Options: new WriteOptions { Consistency = Consistency.All }));

        var error = Assert.IsType<QuorumNotReachedException>(ExpectMsg<RequestFailed>().Error);
        Assert.Equal((StoreOperation.Put, 3, 0), (error.Operation, error.Required, error.Answered));
        Assert.Contains("2 member(s)", error.Reason);
        foreach (var host in hosts) host.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void RequestGateway_fails_with_quorum_details_when_too_few_replicas_are_reachable()
    {
        var (gateway, hosts) = Gateway(members: 3, unreachable: Node(3));
        gateway.Tell(new GetRequest(Guid.NewGuid(), "k", new ReadOptions { Consistency = Consistency.All }));

        var error = Assert.IsType<QuorumNotReachedException>(ExpectMsg<RequestFailed>().Error);
        Assert.Equal([Node(3).ToString()], error.MissingReplicas);
        Assert.Contains("only 2 of 3", error.Reason);
        foreach (var host in hosts) host.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void RequestGateway_frees_the_slot_of_a_coordinator_that_finished()
    {
        var (gateway, hosts) = Gateway();
        gateway.Tell(new InspectRequest(Guid.NewGuid(), "a", TimeSpan.FromMilliseconds(200)));
        foreach (var host in hosts) host.ExpectMsg<InspectKey>();
        ExpectMsg<InspectResponse>();

        AssertAdmitsExactlyOneMore(gateway, hosts);
    }

    [Fact]
    public void RequestGateway_frees_the_slot_of_a_coordinator_that_threw()
    {
        var (gateway, hosts) = Gateway();
        gateway.Tell(new PutRequest(Guid.NewGuid(), "a", [1]));
        var write = hosts[0].ExpectMsg<CoordinateWrite>();
        // A state the coordinator cannot read: it throws, and the gateway's strategy stops it without a reply.
        hosts[0].Reply(new WriteCoordinated(write.RequestId, Node(1), null!, default));

        AssertAdmitsExactlyOneMore(gateway, hosts);
    }

    /// <summary>
    /// A read is admitted once the slot is free (a stopped coordinator's slot frees a moment after its reply, so reads
    /// are refused until then; tried every 50 ms for up to 10 s), and another one meanwhile is refused: one slot, freed once.
    /// Each try waits until its read is either refused or sent to the replicas: a refusal that came later than a fixed
    /// window must not pass for an admission.
    /// </summary>
    private void AssertAdmitsExactlyOneMore(IActorRef gateway, TestProbe[] hosts)
    {
        AwaitAssert(() =>
        {
            var read = new GetRequest(Guid.NewGuid(), "b");
            gateway.Tell(read);
            AwaitCondition(() => HasMessages || hosts[0].HasMessages, TimeSpan.FromSeconds(10));
            if (hosts[0].HasMessages) return; // admitted
            var refused = ExpectMsg<RequestFailed>();
            Assert.Equal(read.CorrelationId, refused.CorrelationId);
            Assert.IsType<OverloadedException>(refused.Error);
            Assert.Fail("the stopped coordinator's slot is not free yet");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        foreach (var host in hosts) host.ExpectMsg<ReadKey>();
        var second = new GetRequest(Guid.NewGuid(), "c");
        gateway.Tell(second);
        var failed = ExpectMsg<RequestFailed>();
        Assert.Equal(second.CorrelationId, failed.CorrelationId);
        Assert.IsType<OverloadedException>(failed.Error);
    }
}

using System.Collections.Concurrent;
using Akka.Actor;
using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Replication;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests.AntiEntropy;

/// <summary>How an exchange accounts for itself: it records its outcome as it stops, whether it ended (and told its parent)
/// or was stopped before (its worker stopped or moved), since its parent may be gone.</summary>
public sealed class PartitionExchangeSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly Address N1 = new("akka.tcp", "s", "n1", 1), N2 = new("akka.tcp", "s", "n2", 1);

    private readonly ConcurrentQueue<PartitionExchange.Ended> _recorded = new();

    private (Akka.TestKit.TestProbe R1, Akka.TestKit.TestProbe R2, IActorRef Exchange) Start()
    {
        var settings = LeaderlessSettings.Create(Akka.Configuration.ConfigurationFactory.Empty);
        var (r1, r2) = (CreateTestProbe(), CreateTestProbe());
        var replicas = new Dictionary<Address, IActorRef> { [N1] = r1.Ref, [N2] = r2.Ref };
        // The test actor is the parent: it gets Ended.
        var exchange = ChildActorOf(PartitionExchange.Props(3, replicas, allOwners: false, settings.AntiEntropy, settings.Repair.ChunkBytes,
            new RepairThrottle(settings.AntiEntropy.RepairBytesPerSecond, TimeProvider.System), _recorded.Enqueue));
        return (r1, r2, exchange);
    }

    [Fact]
    public void An_exchange_that_ends_tells_its_parent_and_records_that_same_outcome_once()
    {
        var (r1, r2, exchange) = Start();
        var ask = r1.ExpectMsg<ReadTreeHashes>();
        r2.ExpectMsg<ReadTreeHashes>();
        Watch(exchange);
        r1.Reply(new ReplicaFailed(ask.RequestId, N1, ReplicaFailure.Recovering, "recovering"));

        var ended = ExpectMsg<PartitionExchange.Ended>();
        Assert.False(ended.Completed);
        Assert.Contains("refused", ended.Failure);
        ExpectTerminated(exchange);
        Assert.Same(ended, Assert.Single(_recorded));
    }

    [Fact]
    public void An_exchange_stopped_before_it_ended_records_itself_as_failed()
    {
        var (r1, _, exchange) = Start();
        r1.ExpectMsg<ReadTreeHashes>();
        Watch(exchange);
        Sys.Stop(exchange);
        ExpectTerminated(exchange);

        var unended = Assert.Single(_recorded);
        Assert.Equal(3, unended.Partition);
        Assert.False(unended.Completed);
        Assert.Equal("stopped before it ended", unended.Failure);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // and no Ended to the parent
    }
}

using Akka.Actor;
using Akka.Event;
using LeaderlessActors.Coordination;
using LeaderlessActors.Hints;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// A node's one address for replicas' answers: each answer reaches the coordinator registered with its request id, and
/// one nobody waits for is dropped without a dead letter. The endpoint hands over on the teller's thread, so each check
/// runs right after the tell, without waiting. (CoordinatorCompletionSpecs check that coordinators register and leave.)
/// </summary>
public sealed class ReplyEndpointSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly Address Node = new("akka.tcp", "s", "n1", 1);

    private ReplyEndpoint Endpoint() => new(((ExtendedActorSystem)Sys).Provider);

    /// <summary>Every answer a coordinator gets from a replica or a fallback's hint store, for request 7.</summary>
    public static TheoryData<string, object> Answers() => new()
    {
        { nameof(KeyRead), new KeyRead(7, Node, SiblingSet.Empty) },
        { nameof(WriteCoordinated), new WriteCoordinated(7, Node, SiblingSet.Empty, new Dot(1, 1)) },
        { nameof(KeyStored), new KeyStored(7, Node) },
        { nameof(KeyInspected), new KeyInspected(7, Node, 3, 1, SiblingSet.Empty) },
        { nameof(ReplicaFailed), new ReplicaFailed(7, Node, ReplicaFailure.Recovering, "recovering") },
        { nameof(HintStored), new HintStored(7, Node) },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void ReplyEndpoint_forwards_an_answer_to_the_coordinator_registered_with_its_request_id_from_the_replica(string type, object answer)
    {
        var endpoint = Endpoint();
        var (coordinator, other, replica) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        endpoint.Register(7, coordinator);
        endpoint.Register(8, other);

        endpoint.Tell(answer, replica);

        Assert.Same(answer, coordinator.ExpectMsg<object>());
        Assert.Equal(replica.Ref, coordinator.LastSender);
        Assert.False(other.HasMessages, type);
    }

    [Fact]
    public void ReplyEndpoint_drops_an_answer_nobody_waits_for_and_a_message_that_is_no_answer_without_a_dead_letter()
    {
        var endpoint = Endpoint();
        var coordinator = CreateTestProbe();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(AllDeadLetters));
        endpoint.Register(7, coordinator);

        endpoint.Tell(new KeyStored(8, Node));
        endpoint.Tell("not an answer");

        Assert.False(coordinator.HasMessages);
        // Other dead letters of the test system may be there; none of these two.
        var published = new List<object>();
        while (deadLetters.HasMessages) published.Add(deadLetters.ReceiveOne(TimeSpan.Zero)!);
        Assert.DoesNotContain(published.OfType<AllDeadLetters>(), d => d.Message is KeyStored or "not an answer");
        Assert.Equal(1, endpoint.Waiting);
    }

    [Fact]
    public void ReplyEndpoint_drops_the_answers_of_an_unregistered_coordinator_and_takes_its_id_again()
    {
        var endpoint = Endpoint();
        var (stopped, next) = (CreateTestProbe(), CreateTestProbe());
        endpoint.Register(7, stopped);
        endpoint.Unregister(7, stopped);

        endpoint.Tell(new KeyStored(7, Node));
        Assert.False(stopped.HasMessages);
        Assert.Equal(0, endpoint.Waiting);

        endpoint.Register(7, next);
        endpoint.Unregister(7, stopped); // a late leave of another coordinator does not take the new one's entry
        endpoint.Tell(new KeyStored(7, Node));
        next.ExpectMsg<KeyStored>();
    }

    [Fact]
    public void ReplyEndpoint_refuses_a_second_coordinator_for_an_id_in_use()
    {
        var endpoint = Endpoint();
        endpoint.Register(7, CreateTestProbe());
        Assert.Throws<InvalidOperationException>(() => endpoint.Register(7, CreateTestProbe()));
    }

    [Fact]
    public void ReplyEndpoint_resolves_from_its_path_as_remote_nodes_address_it()
    {
        var endpoint = Endpoint();
        var provider = ((ExtendedActorSystem)Sys).Provider;
        Assert.Same(endpoint, provider.ResolveActorRef(endpoint.Path));

        endpoint.Close();
        Assert.NotSame(endpoint, provider.ResolveActorRef(endpoint.Path));
    }
}

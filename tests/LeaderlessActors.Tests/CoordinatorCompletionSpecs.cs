using Akka.Actor;
using LeaderlessActors.Coordination;
using LeaderlessActors.Replication;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// A coordinator tells its parent once that it stopped, however it stops: the gateway frees its slot on that alone,
/// without a watch (RequestGatewaySpecs check the gateway's side). While it lives it is registered with its plan's reply
/// endpoint, which replicas answer to, and it leaves the endpoint however it stops.
/// </summary>
public sealed class CoordinatorCompletionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private const long RequestId = 42;
    private static readonly Address Node = new("akka.tcp", "s", "n1", 1);

    [Fact]
    public void A_coordinator_that_stops_by_itself_tells_its_parent_once()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestCoordinator.Props(false), TestActor)));
        parent.Tell("stop");
        ExpectMsg<CoordinatorStopped>();
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_coordinator_that_throws_tells_its_parent_once_when_the_parent_stops_it()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestCoordinator.Props(false), TestActor)));
        parent.Tell("crash");
        ExpectMsg<CoordinatorStopped>();
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_coordinator_whose_constructor_throws_tells_its_parent_once()
    {
        Sys.ActorOf(Props.Create(() => new Parent(TestCoordinator.Props(true), TestActor)));
        ExpectMsg<CoordinatorStopped>();
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_coordinator_rearming_its_timer_gets_only_the_last_deadline()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestCoordinator.Props(false), TestActor)));
        parent.Tell(TimeSpan.FromMilliseconds(200));
        parent.Tell(TimeSpan.FromSeconds(30));
        ExpectNoMsg(TimeSpan.FromMilliseconds(600));
        parent.Tell(TimeSpan.FromMilliseconds(50));
        ExpectMsg("deadline");
        ExpectNoMsg(Quiet);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("crash")]
    public void A_coordinator_gets_its_replicas_answers_through_the_endpoint_and_leaves_it_however_it_stops(string end)
    {
        var endpoint = new ReplyEndpoint(((ExtendedActorSystem)Sys).Provider);
        var replica = CreateTestProbe();
        var plan = new RequestPlan(RequestId, "k", 1, [Node], [(Node, replica.Ref)], [], 1, TimeSpan.FromSeconds(20)) { Replies = endpoint };
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestCoordinator.Props(false, plan), TestActor)));

        replica.ExpectMsg("command");
        Assert.Same(endpoint, replica.LastSender); // the command names the endpoint, not the coordinator
        Assert.Equal(1, endpoint.Waiting);
        replica.Reply(new KeyStored(RequestId, Node));
        ExpectMsg<KeyStored>(); // the endpoint forwarded it to the coordinator, which showed it to its parent

        parent.Tell(end);
        ExpectMsg<CoordinatorStopped>(); // sent after the coordinator left the endpoint (ReplyEndpointSpecs: later answers are dropped)
        Assert.Equal(0, endpoint.Waiting);
    }

    /// <summary>Stops a failed child, as the gateway does, and reports what the child tells it.</summary>
    private sealed class Parent(Props child, IActorRef probe) : UntypedActor
    {
        private IActorRef _child = ActorRefs.Nobody;

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

        protected override void PreStart() => _child = Context.ActorOf(child);

        protected override void OnReceive(object message)
        {
            if (message is CoordinatorStopped || Sender.Equals(_child)) probe.Tell(message);
            else _child.Forward(message);
        }
    }

    private sealed class TestCoordinator : Coordinator
    {
        private readonly RequestPlan? _plan;

        public TestCoordinator(bool throwInConstructor, RequestPlan? plan = null) : base(plan)
        {
            if (throwInConstructor) throw new InvalidOperationException("a coordinator that cannot start");
            _plan = plan;
        }

        public static Props Props(bool throwInConstructor, RequestPlan? plan = null) => PropsOf(() => new TestCoordinator(throwInConstructor, plan));

        protected override void PreStart()
        {
            foreach (var (_, host) in _plan?.Targets ?? []) host.Tell("command", ReplyAddress);
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "stop":
                    Context.Stop(Self);
                    break;
                case "crash":
                    throw new InvalidOperationException("a coordinator that fails");
                case TimeSpan delay:
                    DeadlineIn(delay);
                    break;
                case Deadline:
                    Context.Parent.Tell("deadline");
                    break;
                case IReplicaReply answer:
                    Context.Parent.Tell(answer);
                    break;
            }
        }
    }
}

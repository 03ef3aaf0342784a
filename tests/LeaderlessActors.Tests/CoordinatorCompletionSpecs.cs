using Akka.Actor;
using LeaderlessActors.Coordination;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// A coordinator tells its parent once that it stopped, however it stops: the gateway frees its slot on that alone,
/// without a watch (RequestGatewaySpecs check the gateway's side).
/// </summary>
public sealed class CoordinatorCompletionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

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
        public TestCoordinator(bool throwInConstructor)
        {
            if (throwInConstructor) throw new InvalidOperationException("a coordinator that cannot start");
        }

        public static Props Props(bool throwInConstructor) => PropsOf(() => new TestCoordinator(throwInConstructor));

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
            }
        }
    }
}

using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Event;

namespace LeaderlessActors.Coordination;

/// <summary>
/// What every per-request coordinator shares: at most one timer (its <see cref="Deadline"/>), and a
/// <see cref="CoordinatorStopped"/> to its parent once it stops, however it stops. The gateway counts live coordinators
/// from these instead of watching each one: a watch costs system messages both ways and a Terminated per request.
/// While it lives, a coordinator with a plan is registered with the plan's <see cref="ReplyEndpoint"/>, which its
/// commands name as their sender (<see cref="ReplyAddress"/>).
/// </summary>
internal abstract class Coordinator : UntypedActor
{
    private ICancelable? _deadline;
    private readonly ReplyEndpoint? _replies;
    private readonly long _requestId;

    /// <param name="plan">The request's plan; null for a coordinator that sends no replica commands.</param>
    protected Coordinator(RequestPlan? plan = null)
    {
        _replies = plan?.Replies;
        _requestId = plan?.RequestId ?? 0;
    }

    /// <summary>
    /// The sender of every command that replicas or hint stores answer: the plan's reply endpoint, or this actor itself
    /// when the plan has none (its replies then come straight here).
    /// </summary>
    protected IActorRef ReplyAddress => (IActorRef?)_replies ?? Self;

    /// <summary>Registers with the reply endpoint before PreStart sends the first command, so that no answer can
    /// come before the registration.</summary>
    public override void AroundPreStart()
    {
        _replies?.Register(_requestId, Self);
        base.AroundPreStart();
    }

    /// <summary>
    /// (Re)arms the coordinator's one timer: a <see cref="Deadline"/> arrives after <paramref name="delay"/> unless the
    /// timer is armed again or the actor stops first. A raw scheduler entry rather than <see cref="IWithTimers"/>: no timer
    /// scheduler, dictionary and wrapped message per request.
    /// </summary>
    protected void DeadlineIn(TimeSpan delay)
    {
        _deadline?.Cancel();
        _deadline = Context.System.Scheduler.ScheduleTellOnceCancelable(delay, Self, Deadline.Instance, Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _deadline?.Cancel();
        // Answers that come later are dropped at the endpoint (they were dead letters while replicas answered coordinators).
        _replies?.Unregister(_requestId, Self);
        // PostStop runs however the actor stops: by itself, or stopped by the gateway's strategy after it threw. So the
        // parent's count of live coordinators stays exact without a watch.
        Context.Parent.Tell(CoordinatorStopped.Instance);
    }

    /// <summary>
    /// Props that build the coordinator by a plain constructor call: no expression tree to compile and no reflection over
    /// the arguments (<c>Props.Create(typeof(T), args)</c> boxes them and binds a constructor on every request).
    /// </summary>
    protected static Props PropsOf<T>(Func<T> create) where T : Coordinator => Props.CreateBy(new Producer<T>(create));

    /// <summary>The coordinator's timer went off: its request's deadline, or the settle window after the reply.</summary>
    protected sealed class Deadline : IDeadLetterSuppression
    {
        public static readonly Deadline Instance = new();
        private Deadline() { }
    }

    private sealed class Producer<T>(Func<T> create) : IIndirectActorProducer where T : Coordinator
    {
        public Type ActorType => typeof(T);

        public ActorBase Produce()
        {
            try
            {
                return create();
            }
            catch
            {
                // A constructor that throws leaves no actor whose PostStop could tell the parent, so tell it here: once,
                // as no instance exists to stop. Akka runs Produce inside the new child's cell.
                InternalCurrentActorCellKeeper.Current?.Parent.Tell(CoordinatorStopped.Instance);
                throw;
            }
        }

        public void Release(ActorBase actor)
        {
        }
    }
}

/// <summary>A coordinator stopped (done, timed out, or crashed): its parent frees its slot.</summary>
internal sealed class CoordinatorStopped : IDeadLetterSuppression
{
    public static readonly CoordinatorStopped Instance = new();
    private CoordinatorStopped() { }
}

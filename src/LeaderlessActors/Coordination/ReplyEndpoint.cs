using Akka.Actor;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Coordination;

/// <summary>
/// The one address a node's coordinators give their replicas (and fallbacks' hint stores) to answer to, instead of each
/// coordinator's own. A coordinator's path is new with every request, so each command carried a path the replica's node
/// had never resolved, and each answer came back by it: Akka's cache of resolved paths could not help on either side.
/// This one path is resolved once per node. Coordinators register by their request id while they live (see
/// <see cref="Coordinator"/>); an answer, <see cref="IReplicaReply"/>, goes to its coordinator by a local tell, with the
/// replica as its sender. An answer whose coordinator stopped (after its settle window, or on a failure) is dropped
/// silently, as it would have been a dead letter before. Request ids are unique per gateway, which owns one endpoint.
/// </summary>
internal sealed class ReplyEndpoint(IActorRefProvider provider) : IdRoutedRef<long, IActorRef>(provider)
{
    /// <summary>Answers carrying <paramref name="requestId"/> go to <paramref name="coordinator"/> from now on.</summary>
    /// <exception cref="InvalidOperationException">Another coordinator is registered with that id.</exception>
    public void Register(long requestId, IActorRef coordinator) => Add(requestId, coordinator);

    /// <summary>The coordinator stopped: its answers are dropped from now on.</summary>
    public void Unregister(long requestId, IActorRef coordinator) => Remove(requestId, coordinator);

    protected override long? IdOf(object message) => message is IReplicaReply reply ? reply.RequestId : null;

    protected override void Deliver(IActorRef coordinator, object message, IActorRef sender) => coordinator.Tell(message, sender);
}

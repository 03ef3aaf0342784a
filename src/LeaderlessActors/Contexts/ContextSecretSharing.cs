using Akka.Actor;
using Akka.Cluster;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Contexts;

/// <summary>The context secrets a node knows, sent to a peer's <see cref="ContextSecretSharing"/>.</summary>
internal sealed record ContextSecretsShared(byte[][] Secrets, long Round = 0) : ILeaderlessWireMessage;

/// <summary>
/// Shares the generated context secrets among the members, so a context issued through one node verifies on every other.
/// Each node sends what it knows to every member that comes up (and every member up when it starts), and answers a peer
/// whose message lacked secrets it knows, so every pair of members exchanges directly: each learns every member's own
/// secret within a round trip of seeing it up, and all sign with the smallest (see <see cref="ContextAuthority.Learn"/>).
/// A context that does not verify yet is confirmed with the members before it is refused (<see cref="ConfirmContext"/>):
/// a node that just started may not have been sent every secret yet.
/// Started only when no secret is configured. The secrets live in memory: contexts do not survive a restart of the whole
/// cluster. (An Akka.DistributedData set was tried first: with its replicator running, FaultSpec's reads through a member
/// that had just restarted got no replica answer within 5 s, and they do without it; not investigated further.)
/// </summary>
internal sealed class ContextSecretSharing : ReceiveActor
{
    public const string Name = "leaderless-context-secrets";

    private readonly ContextAuthority _authority;
    private readonly Cluster _cluster;
    private readonly ContextConfirmations _confirmations;

    public ContextSecretSharing(ContextAuthority authority, int maxConfirmations)
    {
        _authority = authority;
        _cluster = Cluster.Get(Context.System);
        _confirmations = new ContextConfirmations(authority, maxConfirmations);
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address != _cluster.SelfAddress) PeerAt(up.Member.Address).Tell(new ContextSecretsShared(_authority.Known()), Self);
        });
        Receive<ContextSecretsShared>(shared =>
        {
            var lacked = _authority.Known().Any(k => !shared.Secrets.Any(s => s.AsSpan().SequenceEqual(k)));
            _authority.Learn(shared.Secrets);
            if (lacked && !Sender.IsNobody()) Sender.Tell(new ContextSecretsShared(_authority.Known()), Self);
            _confirmations.Answered(shared.Round, Sender.Path.Address);
        });
        Receive<ContextSecretsWanted>(wanted =>
        {
            _authority.Learn(wanted.Secrets);
            Sender.Tell(new ContextSecretsShared(_authority.Known(), wanted.Round), Self);
            _confirmations.Answered(0, Sender.Path.Address);
        });
        Receive<ConfirmContext>(confirm => _confirmations.Start(confirm, Sender, Peers(),
            (peer, wanted) => PeerAt(peer).Tell(wanted, Self),
            (round, timeout) => Context.System.Scheduler.ScheduleTellOnceCancelable(timeout, Self, new ConfirmationTimedOut(round), Self)));
        Receive<ConfirmationTimedOut>(t => _confirmations.TimedOut(t.Round));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(ContextAuthority authority, int maxConfirmations) =>
        Akka.Actor.Props.Create(() => new ContextSecretSharing(authority, maxConfirmations));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    // Every member that can answer now: joining or leaving ones too (a context may come from any), unreachable ones not
    // (their answer would only arrive after the request timed out).
    private Address[] Peers()
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return state.Members
            .Where(m => m.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(m => m.Address)
            .Where(a => a != _cluster.SelfAddress && !unreachable.Contains(a))
            .ToArray();
    }

    private sealed record ConfirmationTimedOut(long Round);

    private ActorSelection PeerAt(Address member) => Context.ActorSelection(new RootActorPath(member) / "system" / Name);
}

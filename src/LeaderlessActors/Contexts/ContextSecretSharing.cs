using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;

namespace LeaderlessActors.Contexts;

/// <summary>
/// Shares this node's generated context secret with the cluster through Akka.DistributedData (a grow-only set, so
/// members converge on the same secrets whatever the order they hear of them) and hands every secret learned to the
/// <see cref="ContextAuthority"/>. It announces the secret again to every member that comes up, so a node that joins
/// verifies contexts issued before it joined within moments rather than a gossip round later. Started only when no
/// secret is configured: the set lives in memory, so contexts do not survive a restart of the whole cluster.
/// </summary>
internal sealed class ContextSecretSharing : ReceiveActor, IWithTimers
{
    private static readonly GSetKey<string> SecretsKey = new("leaderless-context-secrets");

    // A member's replicator may hear of a new member a moment after this actor does: announce once it has.
    private static readonly TimeSpan AnnounceDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private sealed record Announce
    {
        public static readonly Announce Instance = new();
    }

    private readonly ContextAuthority _authority;
    private readonly IActorRef _replicator;
    private readonly string _own;

    public ContextSecretSharing(ContextAuthority authority)
    {
        _authority = authority;
        _own = Convert.ToBase64String(authority.Own);
        _replicator = DistributedData.Get(Context.System).Replicator;
        Receive<Changed>(c => _authority.Learn(c.Get(SecretsKey).Elements.Select(Convert.FromBase64String)));
        Receive<ClusterEvent.MemberUp>(_ => Timers.StartSingleTimer(Announce.Instance, Announce.Instance, AnnounceDelay));
        Receive<Announce>(_ => AnnounceOwn());
        Receive<UpdateSuccess>(_ => { });
        Receive<UpdateTimeout>(_ => { }); // the members it missed learn the secret by gossip
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ContextAuthority authority) => Akka.Actor.Props.Create(() => new ContextSecretSharing(authority));

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(SecretsKey, Self));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp));
        AnnounceOwn();
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void AnnounceOwn() =>
        _replicator.Tell(Dsl.Update(SecretsKey, GSet<string>.Empty, new WriteAll(WriteTimeout), set => set.Add(_own)));
}

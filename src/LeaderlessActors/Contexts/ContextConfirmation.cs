using Akka.Actor;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Contexts;

/// <summary>
/// From the gateway: <see cref="Request"/>'s context did not verify with the secrets this node knows yet. Before it is
/// refused the members are asked for theirs: a node that just started (or restarted) may not have learned the secret
/// the context was signed with, and refusing would fail a client holding a context the cluster did issue.
/// </summary>
internal sealed record ConfirmContext(IStoreRequest Request, CausalContext Context, IActorRef ReplyTo,
    InvalidRequestException Refusal, TimeSpan Timeout, System.Diagnostics.ActivityContext Trace = default);

/// <summary>To the gateway: the context of <see cref="Request"/> verifies now; start the request for
/// <see cref="ReplyTo"/>, traced under <see cref="Trace"/> (default: not traced).</summary>
internal sealed record ContextConfirmed(IStoreRequest Request, IActorRef ReplyTo, System.Diagnostics.ActivityContext Trace = default);

/// <summary>To a peer's <see cref="ContextSecretSharing"/>: the secrets the sender knows, and a request for the peer's,
/// answered with <see cref="ContextSecretsShared"/> carrying <see cref="Round"/>.</summary>
internal sealed record ContextSecretsWanted(long Round, byte[][] Secrets) : ILeaderlessWireMessage;

/// <summary>
/// The confirmation rounds in flight on one node: each waits for the members it asked, and ends as soon as its context
/// verifies (confirmed) or every member answered without the secret (refused). Bounded, so a flood of forged contexts
/// cannot grow memory: past <c>limit</c> a context is refused at once.
/// </summary>
internal sealed class ContextConfirmations(ContextAuthority authority, int limit)
{
    private sealed record Round(ConfirmContext Confirm, IActorRef Gateway, HashSet<Address> Awaiting, ICancelable Timer);

    private readonly Dictionary<long, Round> _rounds = [];
    private long _lastRound;

    /// <summary>Starts a round asking <paramref name="peers"/>, or settles the request now when the context verifies
    /// already, nobody can be asked, or too many rounds are in flight.</summary>
    public void Start(ConfirmContext confirm, IActorRef gateway, IReadOnlyCollection<Address> peers,
        Action<Address, ContextSecretsWanted> ask, Func<long, TimeSpan, ICancelable> scheduleTimeout)
    {
        if (authority.Verifies(confirm.Context, confirm.Request.Key))
        {
            gateway.Tell(new ContextConfirmed(confirm.Request, confirm.ReplyTo, confirm.Trace));
            return;
        }
        if (peers.Count == 0 || _rounds.Count >= limit)
        {
            Refuse(confirm);
            return;
        }
        var id = ++_lastRound;
        _rounds[id] = new Round(confirm, gateway, [.. peers], scheduleTimeout(id, confirm.Timeout));
        var wanted = new ContextSecretsWanted(id, authority.Known());
        foreach (var peer in peers) ask(peer, wanted);
    }

    /// <summary><paramref name="peer"/> answered <paramref name="round"/> (0: an unsolicited share); the secrets it
    /// sent are learned already. Settles every round whose context verifies now, and <paramref name="round"/> when it
    /// has heard from everyone.</summary>
    public void Answered(long round, Address peer)
    {
        if (_rounds.TryGetValue(round, out var answered)) answered.Awaiting.Remove(peer);
        foreach (var (id, r) in _rounds.ToArray())
        {
            if (authority.Verifies(r.Confirm.Context, r.Confirm.Request.Key))
                End(id).Gateway.Tell(new ContextConfirmed(r.Confirm.Request, r.Confirm.ReplyTo, r.Confirm.Trace));
            else if (r.Awaiting.Count == 0)
                Refuse(End(id).Confirm);
        }
    }

    /// <summary>The round's time ran out before its context verified.</summary>
    public void TimedOut(long round)
    {
        if (_rounds.ContainsKey(round)) Refuse(End(round).Confirm);
    }

    private Round End(long id)
    {
        var round = _rounds[id];
        _rounds.Remove(id);
        round.Timer.Cancel();
        return round;
    }

    private static void Refuse(ConfirmContext confirm) =>
        confirm.ReplyTo.Tell(new RequestFailed(confirm.Request.CorrelationId, confirm.Refusal));
}

using Akka.Actor;
using LeaderlessActors.Contexts;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>
/// A context signed with a generated secret this node has not learned yet (it just started or restarted) is confirmed
/// with the members before it is refused; a forged one is still refused, once every member answered.
/// </summary>
public sealed class ContextConfirmationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly Address Peer = new("akka.tcp", "s", "peer", 1);
    private static readonly Address OtherPeer = new("akka.tcp", "s", "other", 1);
    private static readonly VersionVector Clock = VersionVector.From([new VersionVector.Entry(5, 3)]);

    private static ContextAuthority Generated() => new(new ContextSettings { Secret = null, PreviousSecrets = [] });

    private static ConfirmContext Confirm(CausalContext context, IActorRef replyTo, TimeSpan? timeout = null)
    {
        var request = new PutRequest(Guid.NewGuid(), "k", [1], context);
        return new ConfirmContext(request, context, replyTo,
            new InvalidRequestException(InvalidRequestReason.MalformedContext, "unverified"), timeout ?? TimeSpan.FromMinutes(1));
    }

    private sealed class Rounds(ContextConfirmations confirmations, ActorSystem system)
    {
        public List<(Address Peer, ContextSecretsWanted Wanted)> Asked { get; } = [];
        public List<long> Timers { get; } = [];

        public void Start(ConfirmContext confirm, IActorRef gateway, params Address[] peers) =>
            confirmations.Start(confirm, gateway, peers, (p, w) => Asked.Add((p, w)), (round, _) =>
            {
                Timers.Add(round); // the test fires timeouts itself
                return system.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromHours(1), ActorRefs.Nobody, "unused", ActorRefs.NoSender);
            });
    }

    [Fact]
    public void A_context_that_verifies_already_is_confirmed_without_asking_anyone()
    {
        var self = Generated();
        var gateway = CreateTestProbe();
        var client = CreateTestProbe();
        var rounds = new Rounds(new ContextConfirmations(self, limit: 10), Sys);

        rounds.Start(Confirm(self.Sign(Clock, "k"), client.Ref), gateway.Ref, Peer);

        Assert.Equal(client.Ref, gateway.ExpectMsg<ContextConfirmed>().ReplyTo);
        Assert.Empty(rounds.Asked);
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_round_in_flight_confirms_as_soon_as_an_answer_brings_the_secret()
    {
        var self = Generated();
        var issuer = Generated();
        var gateway = CreateTestProbe();
        var client = CreateTestProbe();
        var confirmations = new ContextConfirmations(self, limit: 10);
        var rounds = new Rounds(confirmations, Sys);
        rounds.Start(Confirm(issuer.Sign(Clock, "k"), client.Ref), gateway.Ref, Peer, OtherPeer);
        Assert.Equal([Peer, OtherPeer], rounds.Asked.Select(a => a.Peer));
        Assert.Equal(self.Known().Single(), rounds.Asked[0].Wanted.Secrets.Single()); // it shares its own as it asks

        self.Learn(issuer.Known());
        confirmations.Answered(rounds.Asked[0].Wanted.Round, Peer);

        gateway.ExpectMsg<ContextConfirmed>();
        confirmations.Answered(rounds.Asked[0].Wanted.Round, OtherPeer); // the late answer settles nothing twice
        gateway.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_forged_context_is_refused_once_every_asked_member_answered()
    {
        var self = Generated();
        var forger = Generated(); // a secret no member has
        var gateway = CreateTestProbe();
        var client = CreateTestProbe();
        var confirmations = new ContextConfirmations(self, limit: 10);
        var rounds = new Rounds(confirmations, Sys);
        var confirm = Confirm(forger.Sign(Clock, "k"), client.Ref);
        rounds.Start(confirm, gateway.Ref, Peer, OtherPeer);
        var round = rounds.Asked[0].Wanted.Round;

        confirmations.Answered(round, Peer);
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // one member has not answered yet
        confirmations.Answered(round, OtherPeer);

        var failed = client.ExpectMsg<RequestFailed>();
        Assert.Equal(confirm.Request.CorrelationId, failed.CorrelationId);
        Assert.Same(confirm.Refusal, failed.Error);
        gateway.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_round_that_times_out_refuses_and_a_context_with_nobody_to_ask_is_refused_at_once()
    {
        var self = Generated();
        var forger = Generated();
        var gateway = CreateTestProbe();
        var client = CreateTestProbe();
        var confirmations = new ContextConfirmations(self, limit: 10);
        var rounds = new Rounds(confirmations, Sys);

        rounds.Start(Confirm(forger.Sign(Clock, "k"), client.Ref), gateway.Ref, Peer);
        confirmations.TimedOut(rounds.Timers.Single());
        client.ExpectMsg<RequestFailed>();
        confirmations.Answered(rounds.Timers.Single(), Peer); // a late answer for an ended round is ignored
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        rounds.Start(Confirm(forger.Sign(Clock, "k"), client.Ref), gateway.Ref);
        client.ExpectMsg<RequestFailed>();
        Assert.Single(rounds.Asked);
    }

    [Fact]
    public void Past_the_limit_of_rounds_in_flight_a_context_is_refused_without_asking()
    {
        var self = Generated();
        var forger = Generated();
        var gateway = CreateTestProbe();
        var client = CreateTestProbe();
        var rounds = new Rounds(new ContextConfirmations(self, limit: 2), Sys);

        for (var i = 0; i < 3; i++) rounds.Start(Confirm(forger.Sign(Clock, "k"), client.Ref), gateway.Ref, Peer);

        Assert.Equal(2, rounds.Asked.Count);
        client.ExpectMsg<RequestFailed>();
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_context_is_confirmed_by_an_unsolicited_share_too()
    {
        var self = Generated();
        var issuer = Generated();
        var gateway = CreateTestProbe();
        var confirmations = new ContextConfirmations(self, limit: 10);
        new Rounds(confirmations, Sys).Start(Confirm(issuer.Sign(Clock, "k"), CreateTestProbe().Ref), gateway.Ref, Peer);

        self.Learn(issuer.Known());
        confirmations.Answered(0, OtherPeer);

        gateway.ExpectMsg<ContextConfirmed>();
    }
}

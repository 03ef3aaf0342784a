using System.Text;
using Akka.Actor;
using LeaderlessActors;
using LeaderlessActors.TestKit;
using Xunit;

namespace MyApp.Tests;

public sealed record Sign(string Name);
public sealed record Signed(IReadOnlyList<string> Names);
public sealed record SignFailed(string Reason);

/// <summary>The application's actor: signs a guestbook kept in the store, merging concurrent versions (siblings).</summary>
public sealed class Guestbook : ReceiveActor
{
    public Guestbook(LeaderlessStore store)
    {
        ReceiveAsync<Sign>(async sign =>
        {
            var replyTo = Sender;
            try
            {
                var read = await store.GetAsync("guestbook");
                var names = read.Values.SelectMany(v => Encoding.UTF8.GetString(v).Split('\n'))
                    .Append(sign.Name).Distinct().Order().ToArray();
                await store.PutAsync("guestbook", Encoding.UTF8.GetBytes(string.Join('\n', names)), read.Context);
                replyTo.Tell(new Signed(names));
            }
            catch (LeaderlessException e)
            {
                replyTo.Tell(new SignFailed(e.Message));
            }
        });
    }
}

public sealed class GuestbookSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(new TestClusterOptions
    {
        Nodes = 3,
        Storage = TestStorage.Memory,
        // The application's own actor on every node, next to the store.
        OnNodeStarted = (system, _) => system.ActorOf(Props.Create(() => new Guestbook(LeaderlessStore.Get(system))), "guestbook"),
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<object> SignOn(int node, string name)
    {
        var probe = this.CreateTestProbe(_cluster, node); // lives on that node
        _cluster[node].ActorSelection("/user/guestbook").Tell(new Sign(name), probe.Ref);
        return await probe.ExpectMsgAsync<object>(Patience);
    }

    [Fact]
    public async Task The_guestbook_keeps_working_on_the_majority_side_while_a_node_is_isolated_and_catches_up_after()
    {
        Assert.IsType<Signed>(await SignOn(0, "ada"));

        await _cluster.IsolateAsync(2);
        Assert.Equal(["ada", "grace"], Assert.IsType<Signed>(await SignOn(1, "grace")).Names);
        Assert.IsType<SignFailed>(await SignOn(2, "linus")); // alone, node 2 cannot reach a quorum

        await _cluster.RejoinAsync(2);
        Assert.Equal(["ada", "grace", "linus"], Assert.IsType<Signed>(await SignOn(2, "linus")).Names);
        await _cluster.AwaitReplicasAgreeAsync(["guestbook"]);
    }
}

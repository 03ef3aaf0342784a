using Akka.Actor;
using LeaderlessActors.Coordination;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests;

/// <summary>The store's one reply address: each call gets its own reply, and every call leaves the map when it ends.</summary>
public sealed class ReplyReceiverSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private ReplyReceiver Receiver() => new(((ExtendedActorSystem)Sys).Provider);

    private static RequestFailed Answer(IStoreRequest request) => new(request.CorrelationId, new OverloadedException(7));

    [Fact]
    public async Task ReplyReceiver_completes_each_call_with_the_reply_carrying_its_correlation_id()
    {
        var receiver = Receiver();
        var (first, second) = (new GetRequest(Guid.NewGuid(), "a"), new GetRequest(Guid.NewGuid(), "b"));
        var firstCall = receiver.Ask(TestActor, first, Long, CancellationToken.None);
        var secondCall = receiver.Ask(TestActor, second, Long, CancellationToken.None);
        ExpectMsg(first);
        var replyTo = LastSender;
        ExpectMsg(second);
        Assert.Same(receiver, replyTo);

        var secondAnswer = Answer(second);
        replyTo.Tell(secondAnswer);
        Assert.Same(secondAnswer, await secondCall);
        Assert.False(firstCall.IsCompleted);
        replyTo.Tell(new GetResponse(first.CorrelationId, new ReadResult(false, [], CausalContext.Empty)));
        Assert.IsType<GetResponse>(await firstCall);
        Assert.Equal(0, receiver.Waiting);
    }

    [Fact]
    public async Task ReplyReceiver_runs_the_callers_continuation_on_the_thread_pool_not_on_the_replying_thread()
    {
        var receiver = Receiver();
        var request = new GetRequest(Guid.NewGuid(), "a");
        var call = ContinueAsync(receiver.Ask(TestActor, request, Long, CancellationToken.None));
        ExpectMsg(request);

        // The reply comes from a thread of its own (as from a coordinator's): run inline, the caller would go on there.
        var replying = new Thread(() => receiver.Tell(Answer(request), ActorRefs.NoSender));
        replying.Start();
        var (thread, onPool) = await call;
        replying.Join();

        Assert.NotEqual(replying.ManagedThreadId, thread);
        Assert.True(onPool);

        static async Task<(int Thread, bool OnPool)> ContinueAsync(Task<object> reply)
        {
            await reply;
            return (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread);
        }
    }

    [Fact]
    public async Task ReplyReceiver_times_out_and_forgets_the_call()
    {
        var receiver = Receiver();
        var call = receiver.Ask(TestActor, new GetRequest(Guid.NewGuid(), "a"), TimeSpan.FromMilliseconds(100), CancellationToken.None);
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(0, receiver.Waiting);
    }

    [Fact]
    public async Task ReplyReceiver_throws_TaskCanceledException_on_cancellation_as_Akkas_Ask_did_and_forgets_the_call()
    {
        var receiver = Receiver();
        using var cancel = new CancellationTokenSource();
        var call = receiver.Ask(TestActor, new GetRequest(Guid.NewGuid(), "a"), Long, cancel.Token);
        ExpectMsg<GetRequest>();
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Equal(0, receiver.Waiting);
    }

    [Fact]
    public async Task ReplyReceiver_drops_a_reply_that_comes_after_its_caller_gave_up()
    {
        var receiver = Receiver();
        var request = new GetRequest(Guid.NewGuid(), "a");
        var call = receiver.Ask(TestActor, request, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        await Assert.ThrowsAsync<TimeoutException>(() => call);

        receiver.Tell(Answer(request));
        receiver.Tell("not a reply");
        Assert.Equal(0, receiver.Waiting);
        // The same correlation id can wait again: nothing of the first call is left behind.
        var again = receiver.Ask(TestActor, request, Long, CancellationToken.None);
        var answer = Answer(request);
        receiver.Tell(answer);
        Assert.Same(answer, await again);
    }
}

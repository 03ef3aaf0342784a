using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using LeaderlessActors.Storage.GroupCommit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>The group-commit journal through Akka.Persistence's journal protocol, on a real SQLite file.</summary>
public sealed class GroupCommitJournalSpec : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TestDatabase _database = new();
    private readonly Akka.TestKit.Xunit2.TestKit _kit;

    public GroupCommitJournalSpec() => _kit = new Akka.TestKit.Xunit2.TestKit(_database.PluginConfig());

    private IActorRef Journal(ActorSystem system) => Persistence.Instance.Apply(system).JournalFor(TestDatabase.JournalId);

    [Fact]
    public void Events_are_replayed_in_order_and_each_persistence_id_sees_only_its_own()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 1, 2, 3), Atomic("b", 1, 2));

        Assert.Equal(["a-1", "a-2", "a-3"], Replay(probe, _kit.Sys, "a", out var highestA));
        Assert.Equal(3, highestA);
        Assert.Equal(["b-1", "b-2"], Replay(probe, _kit.Sys, "b", out var highestB));
        Assert.Equal(2, highestB);
        Assert.Empty(Replay(probe, _kit.Sys, "c", out var highestC));
        Assert.Equal(0, highestC);
    }

    [Fact]
    public void Replay_honours_its_range_and_its_maximum()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 1, 2, 3, 4, 5));

        Journal(_kit.Sys).Tell(new ReplayMessages(2, 4, 2, "a", probe.Ref));
        Assert.Equal("a-2", probe.ExpectMsg<ReplayedMessage>(Patience).Persistent.Payload);
        Assert.Equal("a-3", probe.ExpectMsg<ReplayedMessage>(Patience).Persistent.Payload);
        Assert.Equal(5, probe.ExpectMsg<RecoverySuccess>(Patience).HighestSequenceNr);
    }

    [Fact]
    public void Deleting_to_a_sequence_number_removes_the_events_up_to_it_and_keeps_the_highest_sequence_number()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 1, 2, 3), Atomic("b", 1));

        Journal(_kit.Sys).Tell(new DeleteMessagesTo("a", 2, probe.Ref));
        probe.ExpectMsg<DeleteMessagesSuccess>(Patience);
        Assert.Equal(["a-3"], Replay(probe, _kit.Sys, "a", out _));

        Journal(_kit.Sys).Tell(new DeleteMessagesTo("a", long.MaxValue, probe.Ref));
        probe.ExpectMsg<DeleteMessagesSuccess>(Patience);
        Assert.Empty(Replay(probe, _kit.Sys, "a", out var highest));
        Assert.Equal(3, highest); // a persistent actor never reuses a sequence number after deleting its events
        Assert.Equal(["b-1"], Replay(probe, _kit.Sys, "b", out _));
    }

    [Fact]
    public void A_write_call_that_fails_fails_every_event_in_it_and_stores_none_of_them()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 3));

        // Event 3 exists: the call's second atomic write collides, so the whole call, including "b", is undone.
        Journal(_kit.Sys).Tell(new WriteMessages([Atomic("a", 1, 2), Atomic("a", 3), Atomic("b", 1)], probe.Ref, 1));
        probe.ExpectMsg<WriteMessagesFailed>(Patience);
        for (var i = 0; i < 4; i++) probe.ExpectMsg<WriteMessageFailure>(Patience);

        Assert.Equal(["a-3"], Replay(probe, _kit.Sys, "a", out _));
        Assert.Empty(Replay(probe, _kit.Sys, "b", out _));
        Write(probe, _kit.Sys, Atomic("b", 1)); // and the journal goes on writing
    }

    [Fact]
    public void A_call_holding_only_deferred_replies_succeeds_without_storing_anything_and_the_journal_keeps_writing()
    {
        // A replica's DeferAsync reaches the journal as a write call without events; Akka.Persistence.Sql once threw on
        // such calls until its circuit breaker opened (see SqlJournal). Twelve in a row pass that breaker's limit.
        var probe = _kit.CreateTestProbe();
        for (var i = 0; i < 12; i++)
        {
            Journal(_kit.Sys).Tell(new WriteMessages([Storage.PersistenceEnvelopes.DeferredReply(i, probe.Ref)], probe.Ref, 1));
            probe.ExpectMsg<WriteMessagesSuccessful>(Patience);
            Assert.Equal(i, probe.ExpectMsg<LoopMessageSuccess>(Patience).Message);
        }
        Write(probe, _kit.Sys, Atomic("a", 1));
        Assert.Equal(["a-1"], Replay(probe, _kit.Sys, "a", out _));
    }

    [Fact]
    public void Replay_does_not_wait_behind_a_write_batch_in_progress()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 1, 2));
        // The journal's own writer is inside a batch (its transaction open) that does not end until released.
        var file = SqliteJournalFile.Acquire(GroupCommitOptions.From(_kit.Sys.Settings.Config.GetConfig(TestDatabase.JournalId)));
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var busy = file.Writer.Enqueue(_ =>
        {
            started.Set();
            return release.Wait(Patience);
        });
        try
        {
            Assert.True(started.Wait(Patience));
            Assert.Equal(["a-1", "a-2"], Replay(probe, _kit.Sys, "a", out var highest));
            Assert.Equal(2, highest);
            Assert.False(busy.IsCompleted);
        }
        finally
        {
            release.Set();
            file.Release();
        }
    }

    [Fact]
    public void Replay_does_not_wait_for_another_process_that_holds_the_write_lock()
    {
        var probe = _kit.CreateTestProbe();
        Write(probe, _kit.Sys, Atomic("a", 1, 2));
        using var holder = new SqliteConnection($"Data Source={_database.File};Pooling=False");
        holder.Open();
        using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        begin.ExecuteNonQuery();

        Assert.Equal(["a-1", "a-2"], Replay(probe, _kit.Sys, "a", out var highest));
        Assert.Equal(2, highest);
        // Writes do wait for the lock, and fail after the connection's timeout (1 s here) without storing anything.
        Journal(_kit.Sys).Tell(new WriteMessages([Atomic("a", 3)], probe.Ref, 1));
        probe.ExpectMsg<WriteMessagesFailed>(Patience);
        probe.ExpectMsg<WriteMessageFailure>(Patience);
    }

    [Fact]
    public async Task A_restarted_system_reads_back_every_acknowledged_event()
    {
        var first = ActorSystem.Create("first", _database.PluginConfig());
        var probe = _kit.CreateTestProbe(first);
        Write(probe, first, Atomic("a", 1, 2), Atomic("b", 1));
        Write(probe, first, Atomic("a", 3));
        await first.Terminate();

        var second = ActorSystem.Create("second", _database.PluginConfig());
        try
        {
            var reader = _kit.CreateTestProbe(second);
            Assert.Equal(["a-1", "a-2", "a-3"], Replay(reader, second, "a", out _));
            Assert.Equal(["b-1"], Replay(reader, second, "b", out _));
        }
        finally
        {
            await second.Terminate();
        }
    }

    private static AtomicWrite Atomic(string persistenceId, params long[] sequenceNrs) =>
        new(sequenceNrs.Select(n => (IPersistentRepresentation)new Persistent($"{persistenceId}-{n}", n, persistenceId,
            writerGuid: "spec")).ToImmutableList());

    private void Write(TestProbe probe, ActorSystem system, params AtomicWrite[] writes)
    {
        Journal(system).Tell(new WriteMessages(writes, probe.Ref, 1));
        probe.ExpectMsg<WriteMessagesSuccessful>(Patience);
        foreach (var _ in writes.SelectMany(w => (IEnumerable<IPersistentRepresentation>)w.Payload))
            probe.ExpectMsg<WriteMessageSuccess>(Patience);
    }

    private List<string> Replay(TestProbe probe, ActorSystem system, string persistenceId, out long highest)
    {
        Journal(system).Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, probe.Ref));
        var payloads = new List<string>();
        while (true)
        {
            var message = probe.ExpectMsg<object>(Patience);
            if (message is RecoverySuccess done)
            {
                highest = done.HighestSequenceNr;
                return payloads;
            }
            var replayed = Assert.IsType<ReplayedMessage>(message);
            Assert.Equal(persistenceId, replayed.Persistent.PersistenceId);
            payloads.Add((string)replayed.Persistent.Payload);
        }
    }

    public void Dispose()
    {
        _kit.Shutdown();
        _database.Dispose();
    }
}

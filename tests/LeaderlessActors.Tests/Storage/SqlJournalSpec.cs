using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

public sealed class SqlJournalSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly string DataDirectory = Path.Combine(Path.GetTempPath(), "leaderless-tests", Guid.NewGuid().ToString("N"));

    public SqlJournalSpec() : base(ConfigurationFactory.ParseString($"""
        leaderless.replication-factor = 1
        leaderless.storage.backend = sqlite
        leaderless.storage.sqlite.journal = akka-persistence-sql
        leaderless.storage.sqlite.data-dir = "{DataDirectory.Replace("\\", "/")}"
        """))
    {
    }

    [Fact]
    public void SqlJournal_accepts_a_batch_that_holds_only_a_deferred_reply_and_keeps_writing()
    {
        // A replica acknowledges a no-op repair with DeferAsync while its writes are in flight; the deferral can reach the journal in
        // a batch of its own, without events. Akka.Persistence.Sql threw on such a batch, and ten failures in a row
        // opened the journal's circuit breaker, failing every later write and replay of the node.
        var journal = Persistence.Instance.Apply(Sys).JournalFor(LeaderlessStore.Get(Sys).Storage.JournalPluginId);
        for (var i = 0; i < 12; i++)
        {
            journal.Tell(new WriteMessages([PersistenceEnvelopes.DeferredReply(i, TestActor)], TestActor, 1));
            ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(10));
            ExpectMsg<LoopMessageSuccess>();
        }

        journal.Tell(new WriteMessages([new AtomicWrite(new Persistent("event", 1, "sql-journal-spec", writerGuid: "spec"))], TestActor, 1));
        ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(10));
        ExpectMsg<WriteMessageSuccess>();
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>The group-commit snapshot store through Akka.Persistence's snapshot protocol, on a real SQLite file.</summary>
public sealed class GroupCommitSnapshotStoreSpec : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new();
    private readonly Akka.TestKit.Xunit2.TestKit _kit;
    private readonly TestProbe _probe;

    public GroupCommitSnapshotStoreSpec()
    {
        _kit = new Akka.TestKit.Xunit2.TestKit(_database.PluginConfig());
        _probe = _kit.CreateTestProbe();
    }

    private IActorRef Store => Persistence.Instance.Apply(_kit.Sys).SnapshotStoreFor(TestDatabase.SnapshotId);

    [Fact]
    public void Loading_finds_the_newest_snapshot_within_the_criteria_of_its_own_persistence_id()
    {
        Save("a", 10, "a-10");
        Save("a", 20, "a-20");
        Save("b", 30, "b-30");

        Assert.Equal(("a-20", 20L), Load("a", SnapshotSelectionCriteria.Latest));
        Assert.Equal(("a-10", 10L), Load("a", new SnapshotSelectionCriteria(15)));
        Assert.Equal(("a-10", 10L), Load("a", new SnapshotSelectionCriteria(long.MaxValue, Start.AddSeconds(15))));
        Assert.Null(Load("a", new SnapshotSelectionCriteria(5)));
        Assert.Null(Load("c", SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public void Saving_at_a_stored_sequence_number_replaces_that_snapshot()
    {
        Save("a", 10, "first");
        Save("a", 10, "second");
        Assert.Equal(("second", 10L), Load("a", SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public void Deleting_by_criteria_or_by_metadata_removes_only_the_matching_snapshots()
    {
        Save("a", 10, "a-10");
        Save("a", 20, "a-20");
        Save("a", 30, "a-30");
        Save("b", 10, "b-10");

        Store.Tell(new DeleteSnapshots("a", new SnapshotSelectionCriteria(20)), _probe.Ref);
        _probe.ExpectMsg<DeleteSnapshotsSuccess>(Patience);
        Assert.Null(Load("a", new SnapshotSelectionCriteria(29)));
        Store.Tell(new DeleteSnapshot(new SnapshotMetadata("a", 30, Start.AddSeconds(30))), _probe.Ref);
        _probe.ExpectMsg<DeleteSnapshotSuccess>(Patience);
        Assert.Null(Load("a", SnapshotSelectionCriteria.Latest));
        Assert.Equal(("b-10", 10L), Load("b", SnapshotSelectionCriteria.Latest));
    }

    private void Save(string persistenceId, long sequenceNr, string snapshot)
    {
        // Timestamps one second per sequence number after Start, so criteria can select by time too.
        Store.Tell(new SaveSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, Start.AddSeconds(sequenceNr)), snapshot), _probe.Ref);
        _probe.ExpectMsg<SaveSnapshotSuccess>(Patience);
    }

    private (string, long)? Load(string persistenceId, SnapshotSelectionCriteria criteria)
    {
        Store.Tell(new LoadSnapshot(persistenceId, criteria, long.MaxValue), _probe.Ref);
        var result = _probe.ExpectMsg<LoadSnapshotResult>(Patience);
        if (result.Snapshot is null) return null;
        Assert.Equal(persistenceId, result.Snapshot.Metadata.PersistenceId);
        return ((string)result.Snapshot.Snapshot, result.Snapshot.Metadata.SequenceNr);
    }

    public void Dispose()
    {
        _kit.Shutdown();
        _database.Dispose();
    }
}

using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// The embedded default snapshot store, in the same SQLite file as <see cref="GroupCommitJournal"/> and through the
/// same writer and reader threads: a snapshot commits in the batch of whatever journal writes are queued with it.
/// </summary>
internal sealed class GroupCommitSnapshotStore : SnapshotStore
{
    private readonly SqliteJournalFile _file;

    public GroupCommitSnapshotStore(Config config) => _file = SqliteJournalFile.Acquire(GroupCommitOptions.From(config));

    protected override void PostStop()
    {
        _file.Release();
        base.PostStop();
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria,
        CancellationToken cancellationToken)
    {
        var system = Context.System; // the actor's context is not reachable after the await
        var found = await _file.Reader.Enqueue(statements =>
        {
            using var reader = statements.Query(JournalSchema.LoadSnapshot, Selection(persistenceId, criteria));
            if (!reader.Read()) return ((long, long, StoredPayload)?)null;
            return (reader.GetInt64(0), reader.GetInt64(1), new StoredPayload((byte[])reader[2], reader.GetInt32(3), reader.GetString(4)));
        });
        if (found is not var (sequenceNr, ticks, payload)) return null;
        // Deserialized off the reader thread, as journal events are.
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, new DateTime(ticks, DateTimeKind.Utc)),
            payload.ReadBack(system));
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        var payload = StoredPayload.Of(Context.System, snapshot);
        return _file.Writer.Enqueue(statements => statements.Execute(JournalSchema.SaveSnapshot, metadata.PersistenceId,
            metadata.SequenceNr, metadata.Timestamp.Ticks, payload.Bytes, payload.SerializerId, payload.Manifest));
    }

    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken) =>
        DeleteAsync(metadata.PersistenceId, new SnapshotSelectionCriteria(metadata.SequenceNr, DateTime.MaxValue, metadata.SequenceNr),
            cancellationToken);

    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _file.Writer.Enqueue(statements => statements.Execute(JournalSchema.DeleteSnapshots, Selection(persistenceId, criteria)));

    private static object?[] Selection(string persistenceId, SnapshotSelectionCriteria criteria) =>
    [
        persistenceId, criteria.MinSequenceNr, criteria.MaxSequenceNr,
        (criteria.MinTimestamp ?? DateTime.MinValue).Ticks, criteria.MaxTimeStamp.Ticks,
    ];
}

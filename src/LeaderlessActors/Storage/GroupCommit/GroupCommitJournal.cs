using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// The embedded default journal: Akka.Persistence on a SQLite file through Microsoft.Data.Sqlite. Writes go to the
/// file's one writer thread, which commits whatever every replica queued in one transaction with prepared statements;
/// reads go to a reader thread with its own connection. The journal actor only serializes and hands over.
/// </summary>
internal sealed class GroupCommitJournal : AsyncWriteJournal
{
    private static readonly Task<IImmutableList<Exception>> AllWritten = Task.FromResult<IImmutableList<Exception>>(null!);
    private readonly SqliteJournalFile _file;

    public GroupCommitJournal(Config config) => _file = SqliteJournalFile.Acquire(GroupCommitOptions.From(config));

    protected override void PostStop()
    {
        _file.Release();
        base.PostStop();
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages,
        CancellationToken cancellationToken)
    {
        // An atomic write whose events cannot be serialized is rejected alone (the actor is told, the others persist);
        // the rest go to the writer as one request, so they are stored together or, if it fails, not at all.
        // A batch of deferred replies only holds no atomic write at all, and succeeds with nothing to store.
        var rows = new List<(IPersistentRepresentation Event, StoredPayload Payload)>();
        var rejections = new List<Exception?>();
        foreach (var write in messages)
        {
            var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
            try
            {
                var serialized = events.Select(e => (e, StoredPayload.Of(Context.System, e.Payload))).ToList();
                rows.AddRange(serialized);
                rejections.Add(null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rejections.Add(e);
            }
        }
        IImmutableList<Exception>? result = rejections.Any(r => r is not null) ? (IImmutableList<Exception>)rejections.ToImmutableList()! : null;
        if (rows.Count == 0) return result is null ? AllWritten : Task.FromResult<IImmutableList<Exception>>(result!);
        return _file.Writer.Enqueue(statements =>
        {
            foreach (var (e, payload) in rows)
                statements.Execute(JournalSchema.InsertEvent, e.PersistenceId, e.SequenceNr, payload.Bytes, payload.SerializerId,
                    payload.Manifest, e.Manifest ?? "", e.WriterGuid ?? "", e.Timestamp);
            return result!;
        });
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr,
        long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0 || toSequenceNr < fromSequenceNr) return;
        var system = context.System;
        var rows = await _file.Reader.Enqueue(statements =>
        {
            var read = new List<(long SequenceNr, StoredPayload Payload, string EventManifest, string Writer, long Timestamp)>();
            using var reader = statements.Query(JournalSchema.ReplayEvents, persistenceId, fromSequenceNr, toSequenceNr, max);
            while (reader.Read())
                read.Add((reader.GetInt64(0), new StoredPayload((byte[])reader[1], reader.GetInt32(2), reader.GetString(3)),
                    reader.GetString(4), reader.GetString(5), reader.GetInt64(6)));
            return read;
        });
        // Deserialized here rather than on the reader thread, which then serves the next replica's recovery meanwhile.
        foreach (var row in rows)
            recoveryCallback(new Persistent(row.Payload.ReadBack(system), row.SequenceNr, persistenceId, row.EventManifest,
                isDeleted: false, ActorRefs.NoSender, row.Writer, row.Timestamp));
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        _file.Reader.Enqueue(statements => (long)statements.Scalar(JournalSchema.HighestSequenceNr, persistenceId)!);

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        _file.Writer.Enqueue(statements =>
        {
            statements.Execute(JournalSchema.KeepHighestBeforeDelete, persistenceId, toSequenceNr);
            return statements.Execute(JournalSchema.DeleteEvents, persistenceId, toSequenceNr);
        });
}

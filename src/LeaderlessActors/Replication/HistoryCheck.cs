namespace LeaderlessActors.Replication;

/// <summary>
/// Follows a replica's recovery and tells whether the history it replayed is whole: no unreadable snapshot or event, and
/// no sequence numbers missing between the snapshot, the events and the journal's highest sequence number (a journal
/// compacted behind a snapshot that is gone). A loss already answered by a <see cref="ReplicaHistoryLost"/> event
/// further on in the journal no longer counts.
/// </summary>
internal sealed class HistoryCheck
{
    private long _expected = 1;

    /// <summary>Why the history replayed so far is not whole, or null when it is.</summary>
    public string? Lost { get; private set; }

    public void Snapshot(long sequenceNr) => _expected = sequenceNr + 1;

    public void Event(long sequenceNr)
    {
        if (sequenceNr > _expected) Lose(Missing(_expected, sequenceNr - 1));
        _expected = sequenceNr + 1;
    }

    public void Lose(string reason) => Lost ??= reason;

    /// <summary>A <see cref="ReplicaHistoryLost"/> event: what was lost before it has been dealt with.</summary>
    public void Answered() => Lost = null;

    /// <summary>Recovery is over; <paramref name="highestSequenceNr"/> is the highest the journal ever stored.</summary>
    public void Completed(long highestSequenceNr)
    {
        if (highestSequenceNr >= _expected) Lose(Missing(_expected, highestSequenceNr));
        // The journal keeps its highest sequence number through compaction: one below the snapshot's lost its events.
        else if (highestSequenceNr < _expected - 1)
            Lose($"the journal ends at event {highestSequenceNr}, before the snapshot at event {_expected - 1}");
    }

    private static string Missing(long from, long to) =>
        from == to ? $"journal event {from} is missing" : $"journal events {from}..{to} are missing";
}

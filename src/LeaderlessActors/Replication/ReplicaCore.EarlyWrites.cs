using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The versions a replica told its coordinator before they were durable (PendingKey.TellEarly), and those its
// predecessor in this process told and then lost to a journal failure: a peer that brings one back shows no lost history.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    // Told early, event not yet confirmed.
    private readonly HashSet<(string Key, Dot Dot)> _toldEarly = [];
    // Told early by an earlier incarnation whose journal failed before confirming them: they may be on peers and are
    // nowhere here, under an epoch retired since (see LostAfterTelling).
    private readonly HashSet<(string Key, Dot Dot)> _lostAfterTelling = [];

    /// <summary>
    /// The replica stops on a journal failure: the versions it told early whose events were not confirmed, with those its
    /// predecessors lost, for its successor (<see cref="LostAfterTelling"/>).
    /// </summary>
    public IReadOnlyCollection<(string Key, Dot Dot)> ToldAndUnconfirmed() => [.. _toldEarly, .. _lostAfterTelling];

    /// <summary>
    /// Versions that the replica this one succeeds in this process told early and never made durable. They may come back
    /// from peers (the coordinator stored them there, and hinted them here); as the successor never issues a dot of that
    /// epoch again (a journal that did not end with its clean stop renews it), and never acknowledged them, they are not
    /// lost history. A crash loses this knowledge: a version told early and lost then counts as lost history (safe, with
    /// a resync).
    /// </summary>
    public void LostAfterTelling(IEnumerable<(string Key, Dot Dot)> versions) => _lostAfterTelling.UnionWith(versions);

    private void Told(PendingKey<TReplyTo> pending)
    {
        if (pending is { TellEarly: true, Issued: { } dot }) _toldEarly.Add((pending.Event.Key, dot));
    }

    private void ToldConfirmed(PendingKey<TReplyTo> pending)
    {
        if (pending is { TellEarly: true, Issued: { } dot }) _toldEarly.Remove((pending.Event.Key, dot));
    }

    /// <summary>Whether <paramref name="dot"/> of <paramref name="key"/> is a version a predecessor told and lost, under
    /// an epoch this replica no longer issues.</summary>
    private bool IsLostAfterTelling(string key, Dot dot) => dot.Epoch != ReplicaEpoch && _lostAfterTelling.Contains((key, dot));
}

using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// What a ReplicaCore decides, for its actor to carry out. TReplyTo is whoever waits for an answer: an actor ref in the
// actor, anything comparable in tests; the core never sends anything itself.

/// <summary>Someone waiting for the answer to request <paramref name="RequestId"/>.</summary>
internal sealed record Reply<TReplyTo>(TReplyTo ReplyTo, long RequestId);

/// <summary>
/// A key's new state on its way to the journal: persist <see cref="Event"/>, then hand this back to
/// <see cref="ReplicaCore{TPeer,TReplyTo}.KeyConfirmed"/>. <see cref="Issued"/> is the dot of a coordinated write, null
/// for a merge.
/// </summary>
internal sealed class PendingKey<TReplyTo>
{
    internal PendingKey(KeyUpdated @event, Dot? issued, LinkedListNode<Reply<TReplyTo>> waiter, bool tellEarly)
    {
        Event = @event;
        Issued = issued;
        Waiter = waiter;
        TellEarly = tellEarly;
    }

    public KeyUpdated Event { get; }

    public Dot? Issued { get; }

    /// <summary>Tell the waiter <see cref="Issued"/> and the event's state now, before the journal confirms it: the
    /// coordinator stores it on the other replicas meanwhile, and counts this one once it is durable.</summary>
    public bool TellEarly { get; }

    internal LinkedListNode<Reply<TReplyTo>> Waiter { get; }
}

/// <summary>A client write: persist <see cref="Persist"/>, or refuse it when it would leave <see cref="Siblings"/>
/// siblings, more than allowed, or pass another key bound (then <see cref="Persist"/> is null, <see cref="Refused"/> says
/// why, and nothing changed).</summary>
internal sealed record WriteDecision<TReplyTo>(PendingKey<TReplyTo>? Persist, int Siblings, Refusal? Refused = null);

/// <summary>
/// A peer's state of a key merged in. <see cref="LostOwnVersion"/>, when set, is a version of this replica's own epoch
/// that the peer holds and this replica no longer has: its history is lost, so it must start over under a new epoch
/// before anything else is persisted. Then exactly one of: <see cref="Persist"/> the merged state; acknowledge
/// <see cref="WhenDurable"/>, once the journal confirmed what is in flight (nothing new, but the held state is not yet
/// durable); or, when both are null, acknowledge at once, unless <see cref="Refused"/> says why a replicated client
/// write was refused (nothing changed).
/// </summary>
internal sealed record MergeDecision<TReplyTo>(Dot? LostOwnVersion, PendingKey<TReplyTo>? Persist,
    LinkedListNode<Reply<TReplyTo>>? WhenDurable, Refusal? Refused = null);

/// <summary>What a confirmed key event answers: <see cref="Issued"/> and <see cref="State"/> for a coordinated write, a
/// plain acknowledgement for a merge or a write told early (<see cref="PendingKey{TReplyTo}.TellEarly"/>).</summary>
internal sealed record KeyAnswer<TReplyTo>(Reply<TReplyTo> Reply, SiblingSet State, Dot? Issued);

/// <summary>The answer to a read: the durable state, and whether the replica answers without a vote.</summary>
internal sealed record ReadAnswer<TReplyTo>(Reply<TReplyTo> Reply, SiblingSet State, bool NeedsRepair);

/// <summary>What a peer asking for this replica's state must be told: <see cref="EarlierEpoch"/> (not 0) when another
/// epoch stood at its address, and whether its epoch is new to this replica, to remember
/// (<see cref="RememberPeer"/>).</summary>
internal readonly record struct PeerCheck(long EarlierEpoch, bool RememberPeer);

/// <summary>What a replica does once recovery is over.</summary>
internal enum AfterRecovery
{
    /// <summary>Its history is whole and it needs no repair: it serves as it is.</summary>
    Ready,
    /// <summary>It has no history: it takes a first epoch, then syncs with its reachable peers.</summary>
    StartEpoch,
    /// <summary>Part of its history is gone (<see cref="ReplicaCore{TPeer,TReplyTo}.LostHistory"/>): a new epoch, and a
    /// resync with every peer before it votes.</summary>
    StartOver,
    /// <summary>A repair recorded before the restart is not finished: it resyncs.</summary>
    Resync,
    /// <summary>Its history is whole as far as it can tell, but nothing proves the journal complete (it did not stop
    /// cleanly): it takes a new epoch (<see cref="ReplicaCore{TPeer,TReplyTo}.RenewEpoch"/>), keeps its vote, and
    /// resyncs when a repair recorded before the restart is not finished.</summary>
    RenewEpoch,
}

using Akka.Actor;
using LeaderlessActors.Serialization;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

/// <summary>
/// A node's whole ring state, sent to a peer's membership watcher: on every change to every member, and every
/// <c>leaderless.ring.gossip-interval</c> to one member at random. A peer that asks for a reply, or whose merged state
/// differs from what it received, answers with its own, so one exchange brings both sides to the same state.
/// </summary>
internal sealed record RingGossip(RingEntry[] Entries, bool WantsReply) : ILeaderlessWireMessage;

/// <summary>The ring state as the node's journal keeps it: the whole state, the latest event only.</summary>
internal sealed record RingStored(RingEntry[] Entries) : ILeaderlessStoredEntry;

/// <summary>Asks the membership watcher to take a dead owner out of the ring (an operator's removal).</summary>
internal sealed record RemoveFromRing(string Node);

/// <summary>The answer to <see cref="RemoveFromRing"/>: the ring view after the removal, or the refusal.</summary>
internal sealed record RingRemovalAnswer(RingView? View, RingRemovalRefusedException? Refusal);

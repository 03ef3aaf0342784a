namespace LeaderlessActors;

/// <summary>Why an operator's removal of a ring node was refused.</summary>
public enum RingRemovalRefusal
{
    /// <summary>The text does not name a node (host:port, or a full Akka address).</summary>
    MalformedNode,
    /// <summary>The node is not in the ring (it never joined, or this node has not learned the ring yet).</summary>
    NotInRing,
    /// <summary>The node is a cluster member this node can reach: only a dead owner is removed; a live one leaves
    /// gracefully (SIGTERM, <c>CoordinatedShutdown</c>, cluster leave).</summary>
    Reachable,
    /// <summary>The node asked to remove itself: it is alive by definition; let it leave gracefully.</summary>
    Self,
}

/// <summary>An operator's removal of a ring node was refused; the ring did not change.</summary>
public sealed class RingRemovalRefusedException(string node, RingRemovalRefusal reason, string message)
    : LeaderlessException($"Removing '{node}' from the ring was refused: {message}")
{
    /// <summary>The node the removal named, as given.</summary>
    public string Node { get; } = node;

    /// <summary>Why the removal was refused.</summary>
    public RingRemovalRefusal Reason { get; } = reason;
}

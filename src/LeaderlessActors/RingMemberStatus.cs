namespace LeaderlessActors;

/// <summary>
/// A node's standing in the agreed ring. Only intent changes which nodes own partitions: a join makes a node an owner, a
/// graceful leave or an operator's removal takes it out. Failure detection and Akka's downing only mark an owner down;
/// it keeps its partitions until it returns or is removed.
/// </summary>
public enum RingMemberStatus
{
    /// <summary>Joining the cluster; owns nothing yet (it becomes an owner once Akka marks it Up).</summary>
    Joining,
    /// <summary>An owner, up as far as the ring knows.</summary>
    Owner,
    /// <summary>An owner that Akka downed or removed without a leave (a crash, a lost partition side): still owns its
    /// partitions, and coordinators route around it until it returns.</summary>
    Down,
    /// <summary>An owner that is leaving gracefully: it keeps its partitions until Akka removes it.</summary>
    Leaving,
    /// <summary>Out of the ring (it left gracefully or an operator removed it); kept so the removal is not undone by an
    /// older record of it. A node that joins again at the same address becomes an owner again.</summary>
    Removed,
}

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>The faults a <see cref="FaultSchedule"/> can hold.</summary>
public enum FaultKind
{
    /// <summary>The link between two nodes is cut both ways for the hold time, then healed.</summary>
    CutLink,

    /// <summary>A node is cut off from every other node for the hold time, then reconnected.</summary>
    Isolate,

    /// <summary>A node crashes (no leave), stays down for the hold time, then restarts on its address and data.</summary>
    Crash,

    /// <summary>A node leaves the cluster gracefully and does not come back.</summary>
    Leave,

    /// <summary>A new node joins the cluster.</summary>
    Join,
}

/// <summary>
/// One fault of a schedule. Faults run one at a time: the schedule waits <see cref="Gap"/> after the previous fault was
/// healed, applies this one, holds it for <see cref="Hold"/>, and heals it (reconnects, or restarts the crashed node)
/// before the next. Its <see cref="ToString"/> is the C# expression that recreates it, to paste into a replay.
/// </summary>
/// <param name="Kind">What happens.</param>
/// <param name="Node">The node it happens to (for <see cref="FaultKind.Join"/>, the number the new node gets).</param>
/// <param name="Other">The other end of a cut link; -1 for other kinds.</param>
/// <param name="Gap">The wait before it starts.</param>
/// <param name="Hold">How long the fault lasts before it is healed; zero for leaves and joins.</param>
public sealed record FaultEvent(FaultKind Kind, int Node, int Other, TimeSpan Gap, TimeSpan Hold)
{
    /// <summary>The C# expression that recreates this event.</summary>
    public override string ToString() =>
        $"new FaultEvent(FaultKind.{Kind}, Node: {Node}, Other: {Other}, " +
        $"Gap: TimeSpan.FromMilliseconds({Gap.TotalMilliseconds:0}), Hold: TimeSpan.FromMilliseconds({Hold.TotalMilliseconds:0}))";

    /// <summary>A short description for logs, such as "crash node 2 for 1500 ms".</summary>
    public string Describe() => Kind switch
    {
        FaultKind.CutLink => $"cut link {Node}-{Other} for {Hold.TotalMilliseconds:0} ms",
        FaultKind.Isolate => $"isolate node {Node} for {Hold.TotalMilliseconds:0} ms",
        FaultKind.Crash => $"crash node {Node} for {Hold.TotalMilliseconds:0} ms",
        FaultKind.Leave => $"node {Node} leaves",
        _ => $"node {Node} joins",
    };
}

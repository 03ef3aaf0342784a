namespace LeaderlessActors.Replication;

/// <summary>
/// The one rate limit of a node's background repair traffic (anti-entropy exchanges, and the chunks its resyncs and
/// handoff fills receive): a token bucket of bytes that refills at <c>bytesPerSecond</c> and holds at most one
/// second's worth. Nothing waits inside it: a caller that moved some bytes reserves them and is told how long to pause
/// before its next step, so actors schedule a timer instead of blocking. Thread-safe: every exchange of the node shares it.
/// </summary>
internal sealed class RepairThrottle
{
    private readonly object _gate = new();
    private readonly double _ticksPerByte;
    private readonly long _burstTicks;
    private readonly TimeProvider _clock;
    // When the bytes reserved so far are paid for; a bucket that is not in debt lies up to one second in the past.
    private long _paidAt;

    public RepairThrottle(long bytesPerSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        _clock = clock;
        _ticksPerByte = (double)clock.TimestampFrequency / bytesPerSecond;
        _burstTicks = clock.TimestampFrequency;
        _paidAt = clock.GetTimestamp() - _burstTicks;
    }

    /// <summary>Takes <paramref name="bytes"/> from the bucket; returns how long the caller should pause before it moves
    /// more (zero while the bucket holds enough).</summary>
    public TimeSpan Reserve(long bytes)
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            _paidAt = Math.Max(_paidAt, now - _burstTicks) + (long)(bytes * _ticksPerByte);
            var owed = _paidAt - now;
            return owed <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)owed / _clock.TimestampFrequency);
        }
    }
}

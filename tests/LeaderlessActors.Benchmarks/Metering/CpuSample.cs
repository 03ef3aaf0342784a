namespace LeaderlessActors.Benchmarks.Metering;

/// <summary>
/// CPU time used so far by this process and by the whole machine (from /proc/stat where it exists). Two samples tell
/// whether a measurement was CPU-bound, and how much of the machine other processes took meanwhile.
/// </summary>
internal readonly record struct CpuSample(TimeSpan Process, long MachineBusy, long MachineTotal)
{
    public static CpuSample Take()
    {
        var (busy, total) = ReadMachine();
        return new CpuSample(Environment.CpuUsage.TotalTime, busy, total);
    }

    /// <summary>This process's CPU time between the samples as a fraction of all cores over <paramref name="elapsed"/>.</summary>
    public double ProcessShareSince(CpuSample start, TimeSpan elapsed) =>
        (Process - start.Process).TotalSeconds / (elapsed.TotalSeconds * Environment.ProcessorCount);

    /// <summary>The fraction of the machine's CPU time that was busy between the samples, or NaN without /proc/stat.</summary>
    public double MachineBusySince(CpuSample start) =>
        MachineTotal > start.MachineTotal ? (double)(MachineBusy - start.MachineBusy) / (MachineTotal - start.MachineTotal) : double.NaN;

    private static (long Busy, long Total) ReadMachine()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the not-busy columns.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(long.Parse).ToArray();
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }
}

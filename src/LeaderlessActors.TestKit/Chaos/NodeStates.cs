namespace LeaderlessActors.TestKit.Chaos;

/// <summary>Which nodes the clients may use, and an epoch per node that changes when it goes down or comes back, so an
/// operation can tell that its node went down under it. Written by the nemesis, read by the clients.</summary>
internal sealed class NodeStates(int slots, int initialNodes)
{
    private readonly bool[] _usable = Enumerable.Range(0, slots).Select(i => i < initialNodes).ToArray();
    private readonly int[] _epoch = new int[slots];

    public int[] Usable() => Enumerable.Range(0, _usable.Length).Where(i => Volatile.Read(ref _usable[i])).ToArray();

    public bool IsUsable(int node) => Volatile.Read(ref _usable[node]);

    public int Epoch(int node) => Volatile.Read(ref _epoch[node]);

    public void Down(int node)
    {
        Volatile.Write(ref _usable[node], false);
        Interlocked.Increment(ref _epoch[node]);
    }

    public void Up(int node)
    {
        Interlocked.Increment(ref _epoch[node]);
        Volatile.Write(ref _usable[node], true);
    }
}

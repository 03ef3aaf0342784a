using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// Maps a key to its partition with XxHash64 of the key's UTF-8 bytes: stable across processes, machines and .NET
/// versions (unlike <see cref="string.GetHashCode()"/>), so every node agrees on where a key lives.
/// </summary>
internal sealed class KeyPartitioner(int partitionCount)
{
    public int PartitionCount { get; } = partitionCount;

    public int PartitionOf(string key) => (int)(Hash(key) % (ulong)PartitionCount);

    /// <summary>The XxHash64 of <paramref name="key"/>'s UTF-8 bytes; another <paramref name="seed"/> gives a hash
    /// independent of the partition (the Merkle tree's leaf choice).</summary>
    public static ulong Hash(string key, long seed = 0)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(key, buffer);
            return XxHash64.HashToUInt64(buffer[..length], seed);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

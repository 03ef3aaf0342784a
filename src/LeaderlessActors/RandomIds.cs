using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LeaderlessActors;

/// <summary>
/// Random 64-bit ids from the cryptographic generator, for what must not collide across nodes and restarts without any
/// coordination: a replica's epoch, the request id of a background conversation (resync, exchange, hand-over) whose
/// late answers must never be taken for a later one's.
/// </summary>
internal static class RandomIds
{
    /// <summary>Any random 64-bit value.</summary>
    public static long Next()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    /// <summary>A random 64-bit value other than 0 (which stands for "none").</summary>
    public static long NextNonZero()
    {
        long id;
        do id = Next(); while (id == 0);
        return id;
    }
}

using Akka.Actor;
using Akka.TestKit.Xunit2;
using CsCheck;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Tests.Serialization;

/// <summary>
/// Random and damaged bytes fed to the store's wire serializer, as a hostile or broken peer could send them: each either
/// reads as a store type (or a core library value that Hyperion makes without loading a type by name) or fails with an
/// ordinary exception; never an out-of-memory, never a foreign type. CsCheck prints the seed of a failing run.
/// Not yet true of out-of-memory: Hyperion allocates a damaged length prefix's length before it reads (a 40-byte message
/// can ask for gigabytes) and wraps a failed allocation in a SerializationException, which passes here as ordinary. The
/// test project's heap cap (see its csproj) keeps these allocations from exhausting the machine; one sample at a time
/// (threads: 1) keeps one such allocation in flight and leaves a core to the specs running beside these.
/// </summary>
public class WireSerializerFuzzSpecs(ITestOutputHelper output)
    : TestKit("akka.loglevel = WARNING\nleaderless.storage.backend = memory\nleaderless.replication-factor = 1", output)
{
    private static readonly Address Node = new("akka.tcp", "sys", "127.0.0.1", 2552);

    private static readonly SiblingSet State = SiblingSet.Empty.Update(VersionVector.Empty, [1, 2, 3], 42);

    private static readonly object[] Samples =
    [
        new ReadKey(1, 2, "k"), new CoordinateWrite(1, 2, "k", [9], State.Clock, 64), new MergeKeyState(1, 2, "k", State),
        new KeyRead(1, Node, State), new PartitionChunk(1, Node, [new("k", State)], Last: true),
        new WriteResult(CausalContext.Empty, new List<string> { "a" }),
    ];

    [Fact]
    public void Random_bytes_read_as_a_store_message_or_fail_with_an_ordinary_exception() =>
        Gen.Byte.Array[0, 256].Sample(bytes => ReadsSafely(bytes), iter: 1_000, threads: 1, writeLine: Output!.WriteLine);

    [Fact]
    public void Damaged_store_messages_read_as_a_store_message_or_fail_with_an_ordinary_exception()
    {
        var serializer = Serializer();
        var encoded = Samples.Select(serializer.ToBinary).ToArray();
        var damage = Gen.Select(Gen.Int[0, encoded.Length - 1], Gen.Select(Gen.Int[0, 4096], Gen.Byte).Array[1, 6], Gen.Int[0, 3]);
        damage.Sample((which, edits, cut) =>
        {
            var bytes = (byte[])encoded[which].Clone();
            foreach (var (at, value) in edits) bytes[at % bytes.Length] = value;
            ReadsSafely(bytes[..Math.Max(0, bytes.Length - cut)]);
        }, iter: 1_000, threads: 1, writeLine: Output!.WriteLine);
    }

    private void ReadsSafely(byte[] bytes)
    {
        object? read;
        try
        {
            read = Serializer().FromBinary(bytes, typeof(object));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException or AccessViolationException))
        {
            return;
        }
        Assert.True(read is null || WireTypeFilter.Instance.IsAllowed(read.GetType().AssemblyQualifiedName!) || IsBuiltIn(read.GetType()),
            $"read a {read?.GetType()} from {Convert.ToHexString(bytes)}");
    }

    /// <summary>A core library type made of core library types (object, object[], primitives...): Hyperion's own
    /// serializers make these from a manifest byte, without loading a type by name.</summary>
    private static bool IsBuiltIn(Type type) =>
        type.Assembly == typeof(object).Assembly && type.GetGenericArguments().All(IsBuiltIn) &&
        (type.GetElementType() is not { } element || IsBuiltIn(element));

    private Akka.Serialization.Serializer Serializer()
    {
        LeaderlessStore.Get(Sys);
        return Sys.Serialization.FindSerializerFor(new KeyStored(1, Node));
    }
}

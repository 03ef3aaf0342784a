using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Contexts a client made up, sent over HTTP to node processes: each is refused with 400 before anything is written,
/// and every write acknowledged before and after stays readable at quorum. Before contexts were authenticated, a read's
/// context with its counters set to 2^63-1 made every later write of its key acknowledged and lost.
/// </summary>
public class ForgedContextSpec(ThreeNodeCluster cluster) : ThreeNodeSpec(cluster)
{
    // The text form: a format byte, 16-byte entries (epoch, counter; big-endian), then a 16-byte tag.
    private const int EntryBytes = 16, TagBytes = 16;

    public static TheoryData<string> Forgeries => new()
    {
        "counters set to 2^63-1", "an unknown epoch", "another key's context", "truncated by a byte",
        "an entry appended", "the tag flipped", "unsigned (format 1) with huge counters",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_context_is_refused_with_400_and_every_acknowledged_write_stays_readable(string forgery)
    {
        var key = $"forged-{forgery.Replace(' ', '-')}";
        var other = key + "-other";
        using (var first = await Node(0).PutKeyAsync(key, "v1")) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var second = await Node(1).PutKeyAsync(other, "other")) Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var real = await ContextOfReadAsync(key);
        var forged = Forge(forgery, real, await ContextOfReadAsync(other));

        using (var put = await Node(2).PutKeyAsync(key, "forged write", forged)) await AssertMalformedAsync(put);
        using (var delete = await Node(1).DeleteKeyAsync(key, forged)) await AssertMalformedAsync(delete);
        Assert.Equal(["v1"], await ValuesAtQuorumAsync(key));

        // The store is unharmed: a write with the real context replaces the value, a blind write adds a sibling, and
        // both stay readable at quorum (through nodes 0 and 1: node 2 of the fixture runs one coordinator at a time, and
        // a write's coordinator there may still wait on its last replica when the next request comes, which gets 429).
        using (var replace = await Node(1).PutKeyAsync(key, "v2", real)) Assert.Equal(HttpStatusCode.NoContent, replace.StatusCode);
        using (var blind = await Node(0).PutKeyAsync(key, "v3")) Assert.Equal(HttpStatusCode.NoContent, blind.StatusCode);
        for (var node = 0; node < 2; node++) Assert.Equal(["v2", "v3"], await ValuesAtQuorumAsync(key, node));
        Assert.Equal(["other"], await ValuesAtQuorumAsync(other));
    }

    private static async Task AssertMalformedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed_context", await response.TextAsync());
    }

    private async Task<string> ContextOfReadAsync(string key)
    {
        using var read = await Node(0).GetKeyAsync(key);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        return Kv.ContextOf(read);
    }

    private async Task<string[]> ValuesAtQuorumAsync(string key, int node = 0)
    {
        using var read = await Node(node).GetKeyAsync(key, "?r=quorum", json: true);
        var body = await Json.BodyAsync(read);
        Assert.True(body.TryGetProperty("values", out var values), $"GET {key} at quorum through node {node}: {(int)read.StatusCode} {body}");
        return values.EnumerateArray()
            .Select(v => System.Text.Encoding.UTF8.GetString(v.GetBytesFromBase64())).Order().ToArray();
    }

    private static string Forge(string forgery, string real, string otherKeys)
    {
        var bytes = Base64Url.DecodeFromChars(real);
        var entries = bytes.AsSpan(1, bytes.Length - 1 - TagBytes);
        switch (forgery)
        {
            case "counters set to 2^63-1":
                for (var i = 0; i < entries.Length; i += EntryBytes)
                    BinaryPrimitives.WriteInt64BigEndian(entries.Slice(i + 8, 8), long.MaxValue);
                return Base64Url.EncodeToString(bytes);
            case "an unknown epoch":
                BinaryPrimitives.WriteInt64BigEndian(entries[..8], BinaryPrimitives.ReadInt64BigEndian(entries[..8]) ^ 0x5A5A);
                return Base64Url.EncodeToString(bytes);
            case "another key's context":
                return otherKeys;
            case "truncated by a byte":
                return Base64Url.EncodeToString(bytes.AsSpan(0, bytes.Length - 1));
            case "an entry appended":
                var extended = new byte[bytes.Length + EntryBytes];
                bytes.AsSpan(0, 1 + entries.Length).CopyTo(extended);
                BinaryPrimitives.WriteInt64BigEndian(extended.AsSpan(1 + entries.Length, 8), long.MaxValue);
                BinaryPrimitives.WriteInt64BigEndian(extended.AsSpan(1 + entries.Length + 8, 8), long.MaxValue);
                bytes.AsSpan(1 + entries.Length).CopyTo(extended.AsSpan(1 + entries.Length + EntryBytes));
                return Base64Url.EncodeToString(extended);
            case "the tag flipped":
                bytes[^1] ^= 0xFF;
                return Base64Url.EncodeToString(bytes);
            case "unsigned (format 1) with huge counters":
                var unsigned = new byte[1 + entries.Length];
                unsigned[0] = 1;
                entries.CopyTo(unsigned.AsSpan(1));
                for (var i = 1; i < unsigned.Length; i += EntryBytes)
                    BinaryPrimitives.WriteInt64BigEndian(unsigned.AsSpan(i + 8, 8), long.MaxValue);
                return Base64Url.EncodeToString(unsigned);
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "no such forgery");
        }
    }
}

using System.Buffers.Binary;
using System.Buffers.Text;
using CsCheck;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The text form of <see cref="CausalContext"/>: what clients carry between a read and the next write.</summary>
public sealed class CausalContextSpecs
{
    private static readonly Gen<VersionVector> Clocks =
        Gen.Select(Gen.Long, Gen.Long[1, long.MaxValue]).Array[0, 8]
            .Select(entries => VersionVector.From(entries.Select(e => new VersionVector.Entry(e.Item1, e.Item2))));

    [Fact]
    public void CausalContext_survives_a_ToString_Parse_round_trip()
    {
        Clocks.Sample(clock =>
        {
            var context = new CausalContext(clock);
            var text = context.ToString();
            var parsed = CausalContext.Parse(text);
            Assert.Equal(context, parsed);
            Assert.Equal(clock, parsed.Clock);
            Assert.True(CausalContext.TryParse(text, out var tried));
            Assert.Equal(context, tried);
        }, iter: 1000);
    }

    [Fact]
    public void CausalContext_text_is_url_safe()
    {
        Clocks.Sample(clock =>
        {
            var text = new CausalContext(clock).ToString();
            Assert.All(text, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' in {text}"));
        }, iter: 200);
    }

    [Fact]
    public void CausalContext_Empty_round_trips_and_reports_itself_empty()
    {
        var parsed = CausalContext.Parse(CausalContext.Empty.ToString());
        Assert.True(parsed.IsEmpty);
        Assert.Equal(CausalContext.Empty, parsed);
    }

    public static TheoryData<string, string> MalformedTexts()
    {
        var entry = Entry(replica: 5, counter: 1);
        return new()
        {
            { "empty text", "" },
            { "garbage that is not base64", "not a context!" },
            { "impossible base64 length", "AQAAA" },
            { "truncated entry", Encode([1, .. entry[..10]]) },
            { "wrong version byte", Encode([2, .. entry]) },
            { "version byte zero", Encode([0, .. entry]) },
            { "entries out of order", Encode([1, .. Entry(9, 1), .. Entry(5, 1)]) },
            { "duplicate replica", Encode([1, .. Entry(5, 1), .. Entry(5, 2)]) },
            { "zero counter", Encode([1, .. Entry(5, 0)]) },
            { "negative counter", Encode([1, .. Entry(5, -3)]) },
            { "standard base64 alphabet", Encode([1, .. Entry(-1, long.MaxValue)]).Replace('_', '/').Replace('-', '+') },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTexts))]
    public void CausalContext_Parse_rejects_malformed_text_with_MalformedContext(string why, string text)
    {
        var error = Assert.Throws<InvalidRequestException>(() => CausalContext.Parse(text));
        Assert.Equal(InvalidRequestReason.MalformedContext, error.Reason);
        Assert.False(CausalContext.TryParse(text, out var context), why);
        Assert.Equal(CausalContext.Empty, context);
    }

    [Fact]
    public void CausalContext_Parse_rejects_text_over_64_KiB()
    {
        var huge = Encode([1, .. Enumerable.Range(1, 4200).SelectMany(i => Entry(i, 1))]);
        Assert.True(huge.Length > 64 * 1024);
        Assert.Equal(InvalidRequestReason.MalformedContext, Assert.Throws<InvalidRequestException>(() => CausalContext.Parse(huge)).Reason);
    }

    [Fact]
    public void CausalContext_TryParse_of_null_is_false()
    {
        Assert.False(CausalContext.TryParse(null, out _));
    }

    private static byte[] Entry(long replica, long counter)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, replica);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), counter);
        return bytes;
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}

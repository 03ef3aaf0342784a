using System.Buffers.Text;
using System.Security.Cryptography;
using LeaderlessActors.Contexts;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>Authenticated causal contexts: <see cref="ContextAuthority"/> signs what the store issues, verifies what clients send.</summary>
public sealed class ContextAuthoritySpecs
{
    private static readonly VersionVector Clock = VersionVector.From([new VersionVector.Entry(5, 3), new VersionVector.Entry(9, 1)]);

    private static byte[] Secret() => RandomNumberGenerator.GetBytes(32);

    private static ContextAuthority With(byte[]? secret, params byte[][] previous) =>
        new(new ContextSettings { Secret = secret, PreviousSecrets = previous });

    /// <summary>A signed context's text as the client holds it, with <paramref name="change"/> applied to its bytes.</summary>
    private static string Tampered(CausalContext context, Func<byte[], byte[]> change) =>
        Base64Url.EncodeToString(change(Base64Url.DecodeFromChars(context.ToString())));

    [Fact]
    public void A_context_issued_for_a_key_verifies_for_that_key_after_a_round_trip_through_its_text()
    {
        var authority = With(Secret());
        var text = authority.Sign(Clock, "k").ToString();
        Assert.True(authority.Verifies(CausalContext.Parse(text), "k"));
    }

    [Fact]
    public void A_context_issued_for_one_key_is_refused_for_another()
    {
        var authority = With(Secret());
        Assert.False(authority.Verifies(authority.Sign(Clock, "a"), "b"));
    }

    public static TheoryData<string, Func<byte[], byte[]>> Forgeries() => new()
    {
        { "a counter raised to long.MaxValue", b => { var c = (byte[])b.Clone(); for (var i = 9; i < 17; i++) c[i] = i == 9 ? (byte)0x7F : (byte)0xFF; return c; } },
        { "a counter changed by one", b => { var c = (byte[])b.Clone(); c[16]++; return c; } },
        { "the tag cut short", b => b[..^1] },
        { "an entry appended after the tag", b => [.. b, .. new byte[16]] },
        { "the tag zeroed", b => [.. b[..^16], .. new byte[16]] },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void A_changed_context_is_refused_or_unreadable(string why, Func<byte[], byte[]> change)
    {
        var authority = With(Secret());
        var text = Tampered(authority.Sign(Clock, "k"), change);
        Assert.False(CausalContext.TryParse(text, out var parsed) && authority.Verifies(parsed, "k"), why);
    }

    [Fact]
    public void An_unsigned_context_is_refused_unless_it_has_seen_nothing()
    {
        var authority = With(Secret());
        Assert.False(authority.Verifies(new CausalContext(Clock), "k"));
        Assert.True(authority.Verifies(CausalContext.Empty, "k"));
        Assert.True(authority.Verifies(CausalContext.Parse(CausalContext.Empty.ToString()), "k"));
    }

    [Fact]
    public void A_context_signed_with_a_previous_secret_still_verifies_but_new_contexts_use_the_current_one()
    {
        var old = Secret();
        var current = Secret();
        var issuedBefore = With(old).Sign(Clock, "k");
        var rotated = With(current, old);
        Assert.True(rotated.Verifies(issuedBefore, "k"));
        Assert.False(With(old).Verifies(rotated.Sign(Clock, "k"), "k"));
        Assert.False(With(current).Verifies(issuedBefore, "k"));
    }

    [Fact]
    public void Members_that_learned_the_same_generated_secrets_sign_alike_and_verify_each_others_contexts()
    {
        var (a, b, c) = (With(null), With(null), With(null));
        var issuedByA = a.Sign(Clock, "k");
        var shared = new[] { a.Own, b.Own, c.Own };
        foreach (var member in new[] { a, b, c }) member.Learn(shared);

        Assert.True(b.Verifies(issuedByA, "k"));
        Assert.True(c.Verifies(issuedByA, "k"));
        Assert.Equal(a.Sign(Clock, "k").ToString(), b.Sign(Clock, "k").ToString());
        Assert.Equal(b.Sign(Clock, "k").ToString(), c.Sign(Clock, "k").ToString());
    }

    [Fact]
    public void A_configured_secret_ignores_generated_secrets_shared_by_others()
    {
        var configured = With(Secret());
        var other = With(null);
        configured.Learn([other.Own]);
        Assert.False(configured.Verifies(other.Sign(Clock, "k"), "k"));
    }
}

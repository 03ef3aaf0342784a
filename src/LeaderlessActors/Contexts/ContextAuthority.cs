using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Contexts;

/// <summary>
/// Signs the causal contexts this node issues and verifies those clients send back: a tag, HMAC-SHA256 truncated to
/// <see cref="CausalContext.TagBytes"/> bytes, over the context's clock and the key it was issued for. A client can then
/// only pass a context the cluster issued for that very key, so it cannot claim counters the store never issued (which
/// would make later versions look seen and be dropped) nor carry one key's history to another.
/// With <c>leaderless.context.secret</c> configured every node signs with it and verifies with it and the
/// <c>previous-secrets</c>. Without, each node generates a secret and the members share theirs
/// (<see cref="ContextSecretSharing"/>): every node verifies with every secret it learned, and signs with the smallest,
/// so the cluster converges on one signing secret.
/// </summary>
internal sealed class ContextAuthority : IExtension
{
    private sealed record Secrets(byte[] Signing, IReadOnlyList<byte[]> Verifying);

    private volatile Secrets _secrets;

    internal ContextAuthority(ExtendedActorSystem system) : this(Configured(system)) { }

    internal ContextAuthority(ContextSettings settings)
    {
        IsConfigured = settings.Secret is not null;
        Own = settings.Secret ?? RandomNumberGenerator.GetBytes(ContextSettings.MinimumSecretBytes);
        _secrets = new Secrets(Own, [Own, .. settings.PreviousSecrets]);
    }

    // Create falls back to the embedded defaults itself: nothing to inject into the running system.
    private static ContextSettings Configured(ExtendedActorSystem system) => LeaderlessSettings.Create(system.Settings.Config).Context;

    /// <summary>The authority of <paramref name="system"/>, created on first use.</summary>
    public static ContextAuthority Get(ActorSystem system) => system.WithExtension<ContextAuthority, ContextAuthorityProvider>();

    /// <summary>True when the secret comes from configuration; false when this node generated it.</summary>
    public bool IsConfigured { get; }

    /// <summary>This node's own secret: the configured one, or the one it generated.</summary>
    public byte[] Own { get; }

    /// <summary>The context of <paramref name="clock"/> for <paramref name="key"/>, signed.</summary>
    public CausalContext Sign(VersionVector clock, string key) => new(clock, Tag(_secrets.Signing, clock, key));

    /// <summary>
    /// True when <paramref name="context"/> was issued for <paramref name="key"/> by a node holding one of the secrets
    /// this node knows. A context that has seen nothing claims nothing, so it needs no tag.
    /// </summary>
    public bool Verifies(CausalContext context, string key)
    {
        if (context.IsEmpty) return true;
        if (context.Tag is not { Length: CausalContext.TagBytes } tag) return false;
        foreach (var secret in _secrets.Verifying)
            if (CryptographicOperations.FixedTimeEquals(tag, Tag(secret, context.Clock, key))) return true;
        return false;
    }

    /// <summary>Every generated secret this node knows (its own included); empty when a secret is configured, which is
    /// never shared.</summary>
    public byte[][] Known() => IsConfigured ? [] : _secrets.Verifying.ToArray();

    /// <summary>
    /// Takes the generated secrets the cluster's members shared: all of them verify, and the smallest signs, so every
    /// member that learned the same set signs alike. Ignored when a secret is configured.
    /// </summary>
    public void Learn(IEnumerable<byte[]> shared)
    {
        if (IsConfigured) return;
        var known = _secrets.Verifying.Concat(shared).DistinctBy(Convert.ToBase64String).ToArray();
        var signing = known.MinBy(s => s, ByteOrder.Instance)!;
        _secrets = new Secrets(signing, known);
    }

    private static byte[] Tag(byte[] secret, VersionVector clock, string key)
    {
        // The entry count first, so no clock and key can be read as another clock and key.
        var clockBytes = CausalContext.ClockBytes(clock);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var data = new byte[4 + clockBytes.Length + keyBytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, clock.Count);
        clockBytes.CopyTo(data, 4);
        keyBytes.CopyTo(data, 4 + clockBytes.Length);
        return HMACSHA256.HashData(secret, data)[..CausalContext.TagBytes];
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}

/// <summary>Creates the <see cref="ContextAuthority"/> extension.</summary>
internal sealed class ContextAuthorityProvider : ExtensionIdProvider<ContextAuthority>
{
    public override ContextAuthority CreateExtension(ExtendedActorSystem system) => new(system);
}

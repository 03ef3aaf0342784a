namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.context</c> settings: the secret that authenticates causal contexts (an HMAC over a
/// context and its key), and earlier secrets still accepted while a new one is rolled out.
/// </summary>
public sealed record ContextSettings
{
    /// <summary>The smallest secret accepted, in bytes.</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The secret contexts are signed with, or null when none is configured: then the cluster generates one and
    /// shares it among its members (it does not survive a restart of the whole cluster). Default empty.</summary>
    public required byte[]? Secret { get; init; }

    /// <summary>Secrets still accepted when verifying a context, never used to sign one. Default empty.</summary>
    public required IReadOnlyList<byte[]> PreviousSecrets { get; init; }

    internal static ContextSettings Read(SettingsReader reader)
    {
        var secret = reader.String("secret");
        var previous = reader.StringList("previous-secrets");
        return new ContextSettings
        {
            Secret = secret.Length == 0 ? null : Decode(reader, "secret", secret),
            PreviousSecrets = previous.Select(p => Decode(reader, "previous-secrets", p)).ToArray(),
        };
    }

    private static byte[] Decode(SettingsReader reader, string key, string text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new LeaderlessConfigurationException(reader.PathOf(key), "is not base64.");
        }
        if (bytes.Length < MinimumSecretBytes)
            throw new LeaderlessConfigurationException(reader.PathOf(key),
                $"holds {bytes.Length} bytes; a secret needs at least {MinimumSecretBytes} (e.g. openssl rand -base64 32).");
        return bytes;
    }
}

using Akka.Configuration;

namespace LeaderlessActors;

/// <summary>Access to the store's embedded <c>reference.conf</c>.</summary>
public static class LeaderlessConfig
{
    private static readonly Lazy<Config> Reference = new(() =>
    {
        using var stream = typeof(LeaderlessConfig).Assembly.GetManifestResourceStream("LeaderlessActors.reference.conf")
                           ?? throw new InvalidOperationException("reference.conf is not embedded in LeaderlessActors.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    /// <summary>The defaults of every <c>leaderless</c> setting, plus the Hyperion binding of the store's messages.</summary>
    public static Config Default() => Reference.Value;
}

namespace LeaderlessActors.Node;

/// <summary>A command-line option, environment variable or configuration value is bad; the message names it.</summary>
internal sealed class NodeOptionException(string option, string message) : Exception($"Invalid {option}: {message}")
{
    public string Option { get; } = option;
}

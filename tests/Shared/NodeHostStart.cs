using System.Diagnostics;
using System.Reflection;

namespace LeaderlessActors.TestSupport;

/// <summary>
/// How programs of this repository start the real node host as a process, <c>dotnet LeaderlessActors.Node.dll</c>: the
/// node-process specs (tests/LeaderlessActors.Node.Tests) and the benchmark's http suite. Compiled into each of them
/// (a linked file), so <see cref="NodeDll"/> reads the <c>NodeDll</c> AssemblyMetadata of the project that uses it.
/// </summary>
internal static class NodeHostStart
{
    /// <summary>The node host's dll, as the project's csproj names it (its build output in the same configuration).</summary>
    public static readonly string NodeDll = typeof(NodeHostStart).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NodeDll").Value!;

    /// <summary>A node with <paramref name="arguments"/>, its output redirected. The caller's LEADERLESS_* variables are
    /// left out: the node reads them as options, and a developer's environment must not change what runs.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(NodeDll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LEADERLESS_", StringComparison.Ordinal)).ToArray())
            info.Environment.Remove(name);
        return info;
    }
}

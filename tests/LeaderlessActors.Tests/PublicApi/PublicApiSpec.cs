using System.Reflection;
using PublicApiGenerator;
using Xunit;

namespace LeaderlessActors.Tests.PublicApi;

/// <summary>
/// The public surface of every package is reviewed: it must equal the committed <c>PublicApi/*.approved.txt</c> file, so a
/// change to it shows up in review as a change to that file. After an intended change, regenerate the files with
/// <c>LEADERLESS_APPROVE_API=1 dotnet test tests/LeaderlessActors.Tests --filter FullyQualifiedName~PublicApiSpec</c>
/// and commit them with the change.
/// </summary>
public sealed class PublicApiSpec
{
    private const string ApproveVariable = "LEADERLESS_APPROVE_API";

    /// <summary>The assemblies shipped as packages: one line each (the project must be referenced by this test project).</summary>
    public static TheoryData<string> Packages => new()
    {
        "LeaderlessActors",
        "LeaderlessActors.Hosting",
        "LeaderlessActors.TestKit",
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Public_api_of_the_package_is_the_approved_one(string assemblyName)
    {
        var received = Normalize(Assembly.Load(assemblyName).GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        var approvedPath = RepositoryFiles.PathOf($"tests/LeaderlessActors.Tests/PublicApi/{assemblyName}.approved.txt");

        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            File.WriteAllText(approvedPath, received);
            return;
        }

        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : "";
        Assert.True(approved == received,
            $"The public API of {assemblyName} differs from {approvedPath}:\n{LineDiff(approved, received)}\n" +
            $"If the change is intended, run `{ApproveVariable}=1 dotnet test tests/LeaderlessActors.Tests " +
            "--filter FullyQualifiedName~PublicApiSpec` and commit the approved file with it.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The lines only in the approved text (-) and only in the received one (+): enough to see what moved.</summary>
    private static string LineDiff(string approved, string received)
    {
        var before = approved.Split('\n');
        var after = received.Split('\n');
        var removed = before.Except(after).Select(line => "- " + line);
        var added = after.Except(before).Select(line => "+ " + line);
        return string.Join("\n", removed.Concat(added));
    }
}

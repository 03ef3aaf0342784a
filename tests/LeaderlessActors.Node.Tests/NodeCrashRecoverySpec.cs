using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>A node process is killed with SIGKILL under write load and restarted on its address and data folder.</summary>
public class NodeCrashRecoverySpec
{
    [Fact]
    public async Task A_node_killed_with_sigkill_during_quorum_writes_and_restarted_loses_no_acknowledged_write()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        // Writers on every node, the victim included: what it coordinated and acknowledged before the kill counts too.
        var writes = QuorumWriteStream.Start(nodes, "w", [0, 1, 2]);
        await using (writes)
        {
            await nodes.EventuallyAsync(() => Task.FromResult(writes.Count >= 150), TimeSpan.FromSeconds(90), "150 acknowledged writes");
            nodes.Kill(2);
            var atKill = writes.Count;
            await nodes.EventuallyAsync(() => Task.FromResult(writes.Count >= atKill + 100), TimeSpan.FromSeconds(90),
                "100 more acknowledged writes after the kill");
        }

        await nodes.RestartAsync(2);

        var acknowledged = writes.Keys;
        var lost = await nodes.UnreadableAtQuorumAsync(acknowledged.ToDictionary(k => k, k => k), [2]);
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", lost.Take(10))}");
    }
}

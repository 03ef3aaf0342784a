using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A write whose outcome is unknown (its coordinator stored it, then lost the links that would have made W) is retried
/// with the same context, as <see cref="WriteOutcomeUnknownException"/> says is safe: readers see one value, wherever
/// the retries land.
/// </summary>
public sealed class WriteRetrySpec
{
    private const int Coordinator = 0;

    [Fact]
    public async Task A_write_retried_with_its_context_after_an_unknown_outcome_reads_as_one_value()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.Store(Coordinator).PutAsync("k", "v1"u8.ToArray());
        var read = await cluster.Store(Coordinator).GetAsync("k");

        // Cut before the failure detector notices: the coordinator still plans for both peers, stores the write itself,
        // and hears no other acknowledgement.
        await cluster.BlackholeAsync(Coordinator, 1);
        await cluster.BlackholeAsync(Coordinator, 2);
        var unknown = await Assert.ThrowsAsync<WriteOutcomeUnknownException>(() => cluster.Store(Coordinator).PutAsync("k", "v2"u8.ToArray(),
            read.Context, new WriteOptions { Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains(cluster.AddressOf(Coordinator).ToString(), unknown.AnsweredReplicas);
        await cluster.HealAsync(Coordinator, 1);
        await cluster.HealAsync(Coordinator, 2);
        await cluster.AwaitConvergedAsync();

        // One retry lands on a node that never had the first attempt, one on the coordinator that stored it.
        await RetryAsync(() => cluster.Store(1).PutAsync("k", "v2"u8.ToArray(), read.Context));
        await RetryAsync(() => cluster.Store(Coordinator).PutAsync("k", "v2"u8.ToArray(), read.Context));

        foreach (var node in new[] { 0, 1, 2 })
        {
            var after = await cluster.Store(node).GetAsync("k");
            Assert.Equal("v2", Encoding.UTF8.GetString(Assert.Single(after.Values)));
        }
    }

    /// <summary>Links that were cut stay gated for a few seconds after the heal: a retry may meet an unknown outcome again,
    /// and is retried with the same context, as a client would.</summary>
    private static async Task RetryAsync(Func<Task> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (QuorumNotReachedException) when (attempt < 10)
            {
                await Task.Delay(500);
            }
        }
    }
}

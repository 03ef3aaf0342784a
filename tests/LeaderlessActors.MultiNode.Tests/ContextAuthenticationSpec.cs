using System.Buffers.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// Causal contexts across a cluster without a configured secret (issue 11): the members share the secrets they generated,
/// so a context read through one node is accepted by every other, while a forged or other-key context is refused before
/// anything is written.
/// </summary>
public sealed class ContextAuthenticationSpec
{
    [Fact]
    public async Task A_context_read_through_one_node_is_accepted_by_every_other_and_forged_ones_change_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.Store(0).PutAsync("doc", [1]);
        await cluster.Store(0).PutAsync("other", [9]);
        var read = await cluster.Store(0).GetAsync("doc");
        var otherKeys = (await cluster.Store(0).GetAsync("other")).Context;

        var bytes = Base64Url.DecodeFromChars(read.Context.ToString());
        for (var i = 9; i < 17; i++) bytes[i] = i == 9 ? (byte)0x7F : (byte)0xFF; // the first counter set to long.MaxValue
        var forgeries = new[] { CausalContext.Parse(Base64Url.EncodeToString(bytes)), otherKeys };
        foreach (var node in new[] { 1, 2 })
        foreach (var forged in forgeries)
        {
            var error = await Assert.ThrowsAsync<InvalidRequestException>(() => cluster.Store(node).PutAsync("doc", [66], forged));
            Assert.Equal(InvalidRequestReason.MalformedContext, error.Reason);
        }
        Assert.Equal([1], Assert.Single((await cluster.Store(2).GetAsync("doc")).Values));

        // The genuine context, issued by node 0, resolves the key through node 1; node 2 then writes with node 1's.
        var written = await cluster.Store(1).PutAsync("doc", [2], read.Context);
        await cluster.Store(2).PutAsync("doc", [3], written.Context);
        Assert.Equal([3], Assert.Single((await cluster.Store(0).GetAsync("doc")).Values));
    }
}

using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class SmokeSpec
{
    [Fact]
    public async Task A_value_written_at_quorum_is_read_back_at_quorum()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var written = await cluster.Store(0).PutAsync("k", Encoding.UTF8.GetBytes("v"));
        var read = await cluster.Store(1).GetAsync("k");
        Assert.True(read.Found);
        Assert.Equal("v", Encoding.UTF8.GetString(Assert.Single(read.Values)));
        Assert.Equal(written.Context, read.Context);
    }
}

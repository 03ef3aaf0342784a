using LeaderlessActors.Diagnostics;
using Xunit;

namespace LeaderlessActors.Tests.Diagnostics;

public sealed class AntiEntropyCostSpec
{
    [Fact]
    public async Task Each_round_repairs_exactly_the_keys_that_differ_and_counts_the_bytes_it_moved()
    {
        var rounds = await AntiEntropyCost.MeasureAsync(keys: 300, valueBytes: 20, differences: [10, 0]);

        Assert.Equal([10, 0], rounds.Select(r => r.Differing));
        Assert.Equal([10L, 0L], rounds.Select(r => r.KeysRepaired));
        Assert.All(rounds, r => Assert.Equal(300, r.Keys));
        Assert.True(rounds[0].Bytes > rounds[1].Bytes, $"10 differing keys cost {rounds[0].Bytes} bytes, none {rounds[1].Bytes}");
    }

    [Fact]
    public async Task More_differences_than_keys_are_refused_before_anything_starts()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AntiEntropyCost.MeasureAsync(keys: 5, valueBytes: 1, differences: [3, 3]));
    }
}

using LeaderlessActors.Replication;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LeaderlessActors.Tests.AntiEntropy;

public sealed class RepairThrottleSpecs
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_throttle_lets_one_seconds_worth_through_at_once_and_asks_for_a_pause_after()
    {
        var throttle = new RepairThrottle(1000, _clock);
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(1000));
        Assert.Equal(TimeSpan.FromMilliseconds(500), throttle.Reserve(500));
    }

    [Fact]
    public void A_throttle_refills_at_its_rate_and_never_past_one_second_of_it()
    {
        var throttle = new RepairThrottle(1000, _clock);
        throttle.Reserve(3000); // two seconds in debt
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(100), throttle.Reserve(100));
        _clock.Advance(TimeSpan.FromMinutes(1)); // idle for long: still one second's worth only
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(1000));
        Assert.Equal(TimeSpan.FromMilliseconds(1), throttle.Reserve(1));
    }
}

using Akka.Configuration;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The one rule between the store's limits and Akka.Remote's maximum-frame-size: <see cref="FrameBudget"/>.</summary>
public sealed class FrameBudgetSpecs
{
    private static LeaderlessSettings Settings(string hocon = "") => LeaderlessSettings.Create(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_frame_sized_for_the_defaults_passes_the_start_up_check_and_lets_every_replica_hold_one_largest_value()
    {
        var settings = Settings();
        var fitted = FrameBudget.Fit(FrameBudget.FrameFor(settings), settings);
        Assert.True(fitted.MaxKeyStateBytes >= FrameBudget.StateOfOneValue(settings));
        Assert.True(fitted.Repair.ChunkBytes <= FrameBudget.FrameFor(settings) / 2);
    }

    [Fact]
    public void A_derived_key_state_bound_fills_the_frame_with_one_state_per_replica()
    {
        var fitted = FrameBudget.Fit(2 * 1024 * 1024, Settings());
        Assert.Equal((2 * 1024 * 1024 - 64 * 1024) / 3, fitted.MaxKeyStateBytes);
    }

    [Fact]
    public void A_frame_that_cannot_carry_one_largest_value_fails_at_start_up_naming_the_frame_key()
    {
        var error = Assert.Throws<LeaderlessConfigurationException>(() => FrameBudget.Fit(1024 * 1024, Settings()));
        Assert.Contains(FrameBudget.FrameKey, error.Message);
    }

    [Fact]
    public void A_configured_key_state_bound_the_frame_cannot_carry_for_every_replica_fails_at_start_up()
    {
        var settings = Settings("leaderless.max-key-state-bytes = 2097152");
        var error = Assert.Throws<LeaderlessConfigurationException>(() => FrameBudget.Fit(4 * 1024 * 1024, settings));
        Assert.Contains("leaderless.max-key-state-bytes = 2097152", error.Message);
        Assert.Equal(2097152, FrameBudget.Fit(FrameBudget.FrameFor(settings), settings).MaxKeyStateBytes);
    }
}

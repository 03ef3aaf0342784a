using LeaderlessActors.Benchmarks.Http;
using Xunit;

namespace LeaderlessActors.Benchmarks.Tests;

/// <summary>The http suite reads the nodes' counters from their Prometheus endpoint.</summary>
public class PrometheusTextSpec
{
    [Fact]
    public void Sum_adds_every_label_set_of_the_metric_and_nothing_else()
    {
        const string text = """
            # TYPE leaderless_members_marked_unreachable_total counter
            leaderless_members_marked_unreachable_total{otel_scope_name="LeaderlessActors",otel_scope_leaderless_node="akka.tcp://a b}@h:1"} 2 1764780000000
            leaderless_members_marked_unreachable_total{otel_scope_name="LeaderlessActors",otel_scope_leaderless_node="n2"} 3
            leaderless_members_marked_unreachable_total_other 100
            leaderless_members_marked_unreachable 7
            # EOF
            """;

        Assert.Equal(5, PrometheusText.Sum(text, "leaderless_members_marked_unreachable_total"));
        Assert.Null(PrometheusText.Sum(text, "leaderless_hints_dropped_total"));
    }
}

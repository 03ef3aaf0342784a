using System.Text;
using Spectre.Console;

namespace LeaderlessActors.Demo;

/// <summary>Shows each replica's own state of a key (from <see cref="LeaderlessStore.InspectAsync"/>) as a table.</summary>
internal static class ReplicaStates
{
    public static Table ToTable(KeyInspection inspection, DemoCluster cluster, string title)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title)
            .AddColumn("Replica").AddColumn("Node").AddColumn("Values").AddColumn("Versions (replica:counter)").AddColumn("State");
        var common = inspection.Replicas.GroupBy(Signature).MaxBy(g => g.Count())?.Key;
        foreach (var replica in inspection.Replicas)
        {
            var values = string.Join(" | ", replica.Values.Select(v => Encoding.UTF8.GetString(v)));
            var dots = string.Join(", ", replica.Versions.Select(v => v.Dot[..6] + "…" + v.Dot[v.Dot.IndexOf(':')..]));
            var current = Signature(replica) == common;
            table.AddRow($"{replica.ReplicaIndex}", NodeName(replica.Node, cluster), Markup.Escape(values), Markup.Escape(dots),
                current ? "[green]current[/]" : "[red]stale[/]");
        }
        foreach (var missing in inspection.Missing)
            table.AddRow("-", NodeName(missing, cluster), "", "", "[grey]unreachable[/]");
        return table;
    }

    /// <summary>True when every replica answered and all hold exactly the same versions.</summary>
    public static bool Converged(KeyInspection inspection) =>
        inspection.Missing.Count == 0 && inspection.Replicas.Select(Signature).Distinct().Count() == 1;

    /// <summary>True when node <paramref name="node"/> answered with versions that differ from another replica's.</summary>
    public static bool IsStaleOn(KeyInspection inspection, string node) =>
        inspection.Replicas.Any(r => r.Node == node) && !Converged(inspection);

    private static string Signature(ReplicaState replica) => string.Join(",", replica.Versions.Select(v => v.Dot).Order());

    private static string NodeName(string address, DemoCluster cluster) =>
        Enumerable.Range(0, cluster.Count).Where(i => cluster.AddressOf(i) == address).Select(DemoCluster.NameOf).FirstOrDefault() ?? address;
}

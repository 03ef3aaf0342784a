using System.Reflection;
using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>The replica's and the resync's decisions stay free of Akka types, so they are tested without actors.</summary>
public sealed class PureCoreSpecs
{
    public static readonly TheoryData<Type> PureTypes = new(
        typeof(ReplicaCore<,>), typeof(ReplicaStanding<>), typeof(ReplicaKeys), typeof(HistoryCheck), typeof(ResyncState<,>),
        typeof(ResyncStart<>), typeof(ResyncStart<>.Ask), typeof(WriteDecision<>), typeof(MergeDecision<>), typeof(PendingKey<>),
        typeof(ReadAnswer<>), typeof(KeyAnswer<>), typeof(Reply<>), typeof(PeerCheck),
        typeof(LeaderlessActors.Partitioning.OwnershipHistory<>), typeof(LeaderlessActors.Partitioning.PartitionMove<>));

    [Theory]
    [MemberData(nameof(PureTypes))]
    public void A_pure_core_type_holds_takes_and_returns_no_Akka_type(Type type)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var used = type.GetFields(all).Select(f => f.FieldType)
            .Concat(type.GetProperties(all).Select(p => p.PropertyType))
            .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(type.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)))
            .Concat(type.GetNestedTypes(all));
        var akka = used.SelectMany(Flatten).Where(t => t.Assembly.GetName().Name!.StartsWith("Akka", StringComparison.Ordinal))
            .Select(t => t.FullName).Distinct().ToArray();
        Assert.True(akka.Length == 0, $"{type.Name} uses {string.Join(", ", akka)}");
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.IsGenericParameter) return [];
        var inner = type.HasElementType ? Flatten(type.GetElementType()!) : [];
        var arguments = type.IsGenericType ? type.GetGenericArguments().SelectMany(Flatten) : [];
        return inner.Concat(arguments).Append(type);
    }
}

using System.Text.RegularExpressions;
using Hyperion;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Serialization;

/// <summary>
/// The only types <see cref="WireSerializer"/> loads by name from incoming bytes. Hyperion writes a type's name when it is
/// not in <see cref="WireKnownTypes"/> (a list's or an exception's runtime type); without a filter, a peer (or anyone who
/// can reach the remoting port) could name any type of the process and have it constructed. Allowed are the store's
/// own messages, stored entries and errors, and the lists and arrays of the store's values its messages carry; any other
/// name fails deserialization before the type is loaded.
/// </summary>
internal sealed partial class WireTypeFilter : ITypeFilter
{
    // What IReadOnlyList members of the store's messages hold.
    private static readonly Type[] ListElements =
        [typeof(string), typeof(byte[]), typeof(StoredVersion), typeof(ReplicaState), typeof(KeyValuePair<string, Versioning.SiblingSet>)];

    private readonly HashSet<string> _allowed = AllowedTypes().Select(t => Normalized(t.AssemblyQualifiedName!)).ToHashSet(StringComparer.Ordinal);

    public static WireTypeFilter Instance { get; } = new();

    private WireTypeFilter() { }

    /// <summary>Whether <paramref name="typeName"/> names an allowed type. Hyperion asks with the full assembly-qualified
    /// name when it writes and with its own short form (no versions, <c>,%core%</c> for the core library) when it reads, so
    /// both are reduced to type and assembly names before the lookup. (Hyperion's own <c>TypeFilter</c> compares short
    /// names only, and so refuses every message it is asked to write.)</summary>
    public bool IsAllowed(string typeName) => _allowed.Contains(Normalized(typeName));

    private static string Normalized(string typeName) => AssemblyDetails().Replace(typeName.Replace(",%core%", ""), "");

    [GeneratedRegex(@"(, Version=[^,\]]+)|(, Culture=[^,\]]+)|(, PublicKeyToken=[^,\]]+)", RegexOptions.CultureInvariant)]
    private static partial Regex AssemblyDetails();

    /// <summary>Every type the filter lets through (the known types too, so that naming one by name works as well).</summary>
    internal static IEnumerable<Type> AllowedTypes()
    {
        var store = typeof(ILeaderlessWireMessage).Assembly.GetTypes().Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition &&
            (typeof(ILeaderlessWireMessage).IsAssignableFrom(t) || typeof(ILeaderlessStoredEntry).IsAssignableFrom(t) ||
             typeof(LeaderlessException).IsAssignableFrom(t)));
        // A collection expression for an IReadOnlyList makes the compiler emit its own list types into the store's assembly.
        var synthesized = typeof(ILeaderlessWireMessage).Assembly.GetTypes()
            .Where(t => t.IsGenericTypeDefinition && t.Name.StartsWith("<>z__ReadOnly", StringComparison.Ordinal) && t.GetGenericArguments().Length == 1);
        var lists = ListElements.SelectMany(e => synthesized.Append(typeof(List<>)).Select(list => list.MakeGenericType(e)).Append(e.MakeArrayType()));
        // Akka writes an Address as its surrogate.
        Type[] surrogates = [typeof(Akka.Actor.Address.AddressSurrogate)];
        return new WireKnownTypes().GetKnownTypes().Concat(store).Concat(lists).Concat(surrogates).Distinct();
    }
}

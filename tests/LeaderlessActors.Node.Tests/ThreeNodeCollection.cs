using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>The specs that share one <see cref="ThreeNodeCluster"/>; each uses keys of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ThreeNodeCollection : ICollectionFixture<ThreeNodeCluster>
{
    public const string Name = "three node processes";
}

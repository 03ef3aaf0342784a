namespace LeaderlessActors.Versioning;

/// <summary>
/// One concurrent version of a key: the dot of the write that created it and its value bytes, or no value when the write
/// was a delete (a tombstone, kept so the delete wins over the versions it covers on every replica).
/// </summary>
internal sealed record Sibling(Dot Dot, byte[]? Value)
{
    public bool IsTombstone => Value is null;

    /// <summary>Siblings are identified by their dot: one dot is only ever issued for one value.</summary>
    public bool Equals(Sibling? other) => other is not null && Dot == other.Dot;

    public override int GetHashCode() => Dot.GetHashCode();
}

namespace LeaderlessActors.Versioning;

/// <summary>
/// One event issued by one replica incarnation: the <paramref name="Counter"/>-th write coordinated by the replica while
/// it was <paramref name="Epoch"/>. Epochs are random and a replica takes a new one whenever it cannot prove its history
/// complete, so a replica that lost its data can never reissue a dot it already used. (Hyperion writes fields in the
/// ordinal order of their names: a renamed field must keep its place, which StoredFormatSpecs checks.)
/// </summary>
internal readonly record struct Dot(long Epoch, long Counter);

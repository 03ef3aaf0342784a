namespace LeaderlessActors.Versioning;

/// <summary>
/// One event issued by one replica incarnation: the <paramref name="Counter"/>-th write coordinated by
/// <paramref name="Replica"/>. Replica ids are random per incarnation (epoch), so a replica that lost its data can never
/// reissue a dot it already used.
/// </summary>
internal readonly record struct Dot(long Replica, long Counter);

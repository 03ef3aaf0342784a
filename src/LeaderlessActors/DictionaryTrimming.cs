namespace LeaderlessActors;

/// <summary>Giving back the room of removed entries: a <see cref="Dictionary{TKey,TValue}"/> keeps its capacity after
/// removals, so a replica that held a million keys and collected their tombstones would keep their slots forever.</summary>
internal static class DictionaryTrimming
{
    /// <summary>Trims <paramref name="map"/> when under a quarter of its capacity is used, so that repeated removals of a
    /// few entries do not reallocate it every time.</summary>
    public static void TrimIfSparse<TKey, TValue>(this Dictionary<TKey, TValue> map) where TKey : notnull
    {
        if (map.Count < map.Capacity / 4) map.TrimExcess();
    }
}

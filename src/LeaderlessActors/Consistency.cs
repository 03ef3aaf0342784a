namespace LeaderlessActors;

/// <summary>
/// How many distinct replicas of a key must answer a request: <see cref="One"/>, <see cref="Quorum"/> (a majority of N),
/// <see cref="All"/>, or an explicit count from 1 to N.
/// </summary>
[System.ComponentModel.TypeConverter(typeof(ConsistencyTypeConverter))]
public readonly record struct Consistency
{
    private enum Kind : byte { Quorum, One, All, Count }

    private readonly Kind _kind;
    private readonly int _count;

    private Consistency(Kind kind, int count)
    {
        _kind = kind;
        _count = count;
    }

    /// <summary>One replica.</summary>
    public static Consistency One { get; } = new(Kind.One, 1);

    /// <summary>A majority: N / 2 + 1 replicas. With Quorum reads and writes, R + W &gt; N.</summary>
    public static Consistency Quorum { get; } = new(Kind.Quorum, 0);

    /// <summary>All N replicas.</summary>
    public static Consistency All { get; } = new(Kind.All, 0);

    /// <summary>An explicit number of replicas; must be between 1 and N when the request is made.</summary>
    public static Consistency Of(int replicas) => new(Kind.Count, replicas);

    /// <summary>The number of replicas this level needs when a key has <paramref name="replicationFactor"/> replicas.</summary>
    public int RequiredFor(int replicationFactor) => _kind switch
    {
        Kind.One => 1,
        Kind.All => replicationFactor,
        Kind.Count => _count,
        _ => replicationFactor / 2 + 1,
    };

    /// <summary>Parses <c>one</c>, <c>quorum</c>, <c>all</c> or a positive number (case-insensitive).</summary>
    public static bool TryParse(string? text, out Consistency consistency)
    {
        consistency = Quorum;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "one": consistency = One; return true;
            case "quorum": consistency = Quorum; return true;
            case "all": consistency = All; return true;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            consistency = Of(n);
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => _kind switch
    {
        Kind.One => "one",
        Kind.All => "all",
        Kind.Count => _count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "quorum",
    };
}

using Akka.Configuration;

namespace LeaderlessActors;

/// <summary>Reads typed values from one HOCON section and reports bad ones with their full path.</summary>
internal sealed class SettingsReader(Config config, string path)
{
    public string PathOf(string key) => $"{path}.{key}";

    public SettingsReader Section(string key) => new(config.GetConfig(key) ?? Config.Empty, PathOf(key));

    public int Int(string key, int min, int max) => (int)Long(key, min, max);

    public long Long(string key, long min, long max)
    {
        var text = String(key);
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new LeaderlessConfigurationException(PathOf(key), $"'{text}' is not a whole number.");
        if (value < min || value > max)
            throw new LeaderlessConfigurationException(PathOf(key), $"{value} is outside {min}..{max}.");
        return value;
    }

    /// <summary>A size in bytes: a whole number, or a HOCON byte size such as 512KiB or 1MiB.</summary>
    public long Bytes(string key, long min, long max)
    {
        var text = String(key);
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            long? parsed;
            try
            {
                parsed = config.GetByteSize(key);
            }
            catch (Exception e) when (e is not LeaderlessConfigurationException)
            {
                parsed = null;
            }
            value = parsed ?? throw new LeaderlessConfigurationException(PathOf(key), $"'{text}' is not a size such as 1048576, 512KiB or 1MiB.");
        }
        if (value < min || value > max)
            throw new LeaderlessConfigurationException(PathOf(key), $"{value} bytes is outside {min}..{max}.");
        return value;
    }

    /// <summary>A positive duration; <paramref name="expected"/> describes the accepted values in the error.</summary>
    public TimeSpan Duration(string key, string expected = "a duration such as 5s or 500ms")
    {
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(key, null, allowInfinite: false);
        }
        catch (Exception e) when (e is not LeaderlessConfigurationException)
        {
            throw new LeaderlessConfigurationException(PathOf(key), $"'{String(key)}' is not {expected}.");
        }
        if (value <= TimeSpan.Zero)
            throw new LeaderlessConfigurationException(PathOf(key), "must be positive.");
        return value;
    }

    public bool Bool(string key)
    {
        var text = String(key);
        return text.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new LeaderlessConfigurationException(PathOf(key), $"'{text}' is not on or off."),
        };
    }

    public Consistency Consistency(string key)
    {
        var text = String(key);
        if (!LeaderlessActors.Consistency.TryParse(text, out var value))
            throw new LeaderlessConfigurationException(PathOf(key), $"'{text}' is not one, quorum, all or a positive number.");
        return value;
    }

    public T Enum<T>(string key) where T : struct, System.Enum
    {
        // Values are written in kebab case (group-commit for GroupCommit); the plain name is accepted too.
        var text = String(key);
        foreach (var value in System.Enum.GetValues<T>())
            if (text.Equals(KebabCase(value.ToString()), StringComparison.OrdinalIgnoreCase)
                || text.Equals(value.ToString(), StringComparison.OrdinalIgnoreCase))
                return value;
        throw new LeaderlessConfigurationException(PathOf(key),
            $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(KebabCase))}.");
    }

    public IReadOnlyList<string> StringList(string key)
    {
        if (!config.HasPath(key))
            throw new LeaderlessConfigurationException(PathOf(key), "is missing.");
        try
        {
            return config.GetStringList(key)?.ToArray() ?? [];
        }
        catch (Exception e)
        {
            throw new LeaderlessConfigurationException(PathOf(key), $"is not a list of strings ({e.Message}).");
        }
    }

    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public string String(string key)
    {
        if (!config.HasPath(key))
            throw new LeaderlessConfigurationException(PathOf(key), "is missing.");
        try
        {
            return config.GetString(key) ?? "";
        }
        catch (Exception e)
        {
            throw new LeaderlessConfigurationException(PathOf(key), $"is not a single value ({e.Message}).");
        }
    }
}

namespace Davies.Solvers;

/// <summary>
/// The memory a computation may use, checked with an estimate before every large allocation: the model build
/// (eigendecomposition, couplings in the eigenbasis), the Bohr-sector index, sector matrices and dense generators.
/// The default limit is the memory available to the process (<see cref="GC.GetGCMemoryInfo()"/>: the machine's free
/// memory or a container limit); <see cref="Limit"/> lowers it (the CLI's <c>--max-memory</c>).
/// A stage over the limit throws <see cref="ResourceLimitException"/> naming the stage, its size and the estimate.
/// </summary>
public static class MemoryBudget
{
    private static readonly AsyncLocal<long> LimitOfContext = new();

    /// <summary>
    /// The limit in bytes (0: the memory available to the process). It belongs to the current execution context (an
    /// <see cref="AsyncLocal{T}"/>): set it before a computation and it holds for that computation's threads and tasks,
    /// not for unrelated work running beside it.
    /// </summary>
    public static long Limit
    {
        get => LimitOfContext.Value;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), "the memory limit must be ≥ 0");
            LimitOfContext.Value = value;
        }
    }

    /// <summary>
    /// Parses a size for <see cref="Limit"/>: a number with an optional suffix K, M, G, T (powers of 1024; "KiB", "MB" …
    /// accepted alike), e.g. "512M", "4G", "1.5GiB", "1000000". False for anything else or below one byte.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes) => Bytes.TryParse(text, out bytes);

    /// <summary>The limit in force: <see cref="Limit"/> when set, else the memory available to the process.</summary>
    public static long Available
    {
        get
        {
            long set = Limit;
            if (set > 0) return set;
            var info = GC.GetGCMemoryInfo();
            long total = info.TotalAvailableMemoryBytes;
            return total > 0 ? total : long.MaxValue;
        }
    }

    /// <summary>
    /// Throws <see cref="ResourceLimitException"/> when <paramref name="bytes"/> exceed <see cref="Available"/>:
    /// "<paramref name="stage"/> needs about X (limit Y)".
    /// </summary>
    internal static void Require(double bytes, string stage) => Require(bytes, stage, Available);

    /// <summary>As <see cref="Require(double, string)"/> against a given number of available bytes.</summary>
    internal static void Require(double bytes, string stage, long available)
    {
        if (bytes > available)
            throw new ResourceLimitException(
                $"{stage} needs about {Bytes.Format(bytes)}, more than the {(Limit > 0 ? "limit" : "available memory")} of {Bytes.Format(available)}" +
                (Limit > 0 ? "" : " (set a lower limit with --max-memory, or reduce the model)"));
    }
}

/// <summary>Byte counts for messages, and their parsing ("512M", "4G", "1.5GiB", "1000000").</summary>
internal static class Bytes
{
    /// <summary>"1.5 GiB", "320 MiB", "12 KiB", "100 B".</summary>
    internal static string Format(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? $"{bytes:0} B" : $"{bytes:0.#} {units[u]}";
    }

    /// <summary>Parses a size: a number with an optional suffix K, M, G, T (powers of 1024; "KiB", "MB" … accepted alike).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        int i = 0;
        while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
        if (i == 0 || !double.TryParse(s[..i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value))
            return false;
        string suffix = s[i..].Trim().ToUpperInvariant();
        double factor = suffix switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024.0,
            "M" or "MB" or "MIB" => 1024.0 * 1024,
            "G" or "GB" or "GIB" => 1024.0 * 1024 * 1024,
            "T" or "TB" or "TIB" => 1024.0 * 1024 * 1024 * 1024,
            _ => double.NaN,
        };
        if (double.IsNaN(factor)) return false;
        double b = value * factor;
        if (!(b >= 1) || b > long.MaxValue) return false;
        bytes = (long)b;
        return true;
    }
}

namespace Davies.Models;

/// <summary>
/// The limits and valid ranges that model files are checked against when they are loaded (see docs/model-file.md,
/// "Valid ranges and limits"). Each violation is a <see cref="ModelFileException"/> or <see cref="ModelException"/>
/// naming the file, the field, the line and the range.
/// </summary>
public static class ModelLimits
{
    /// <summary>The largest model file, 64 MiB (67,108,864 bytes; for text passed to <see cref="ModelFile.Parse"/>, characters).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings in a file (JSON and YAML): 64 levels, the top level counting as 1.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>The most nodes that YAML aliases may expand to in total (each use of an alias counts the whole anchored node).</summary>
    public const long MaxAliasNodes = 1_000_000;
}

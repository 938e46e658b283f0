namespace Davies.Models;

/// <summary>
/// The limits and valid ranges that model files are checked against when they are loaded (see docs/model-file.md,
/// "Valid ranges and limits"). Each violation is a <see cref="ModelFileException"/> or <see cref="ModelException"/>
/// naming the file, the field, the line and the range.
/// </summary>
internal static class ModelLimits
{
    /// <summary>The largest model file, 64 MiB (67,108,864 bytes; for text passed to <see cref="ModelFile.Parse(string, ModelFileFormat, string)"/>, characters).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings in a file (JSON and YAML): 64 levels, the top level counting as 1.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>
    /// The most values (scalars, lists and mappings, keys included) a file may hold, 4,000,000: enough for a 1000×1000
    /// complex matrix written as [re, im] pairs; a larger file would take gigabytes of memory to read.
    /// </summary>
    public const long MaxNodes = 4_000_000;

    /// <summary>The most nodes that YAML aliases may expand to in total (each use of an alias counts the whole anchored node).</summary>
    public const long MaxAliasNodes = 1_000_000;

    /// <summary>
    /// The largest magnitude of a dimensional number in a model file, 1e30: operator coefficients and matrix entries
    /// (real and imaginary parts, and every entry of an assembled operator), temperatures, β, spectrum parameters
    /// (η, ω_c, λ, γ, rate), table points and the tolerance.
    /// </summary>
    public const double MaxMagnitude = 1e30;

    /// <summary>
    /// The smallest magnitude of a positive dimensional number, 1e-30: temperatures (T = 0 is allowed too), β,
    /// spectrum parameters, table frequencies, and the largest entry of the Hamiltonian (H = 0 is allowed too).
    /// </summary>
    public const double MinMagnitude = 1e-30;

    /// <summary>The smallest Ohmic-family exponent s, 0.01.</summary>
    public const double MinExponent = 0.01;

    /// <summary>The largest Ohmic-family exponent s, 20 (the peak of J grows as (s/e)^s).</summary>
    public const double MaxExponent = 20;
}

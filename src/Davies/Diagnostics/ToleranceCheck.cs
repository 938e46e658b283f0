using System.Globalization;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>A level that the degeneracy tolerance formed from eigenvalues farther apart than the warning limit.</summary>
/// <param name="Level">The level's index (ascending energy).</param>
/// <param name="First">Its first eigenvalue's index.</param>
/// <param name="Count">Its number of eigenvalues.</param>
/// <param name="Lowest">Its lowest eigenvalue.</param>
/// <param name="Highest">Its highest eigenvalue.</param>
public sealed record MergedLevel(int Level, int First, int Count, double Lowest, double Highest);

/// <summary>The outcome of <see cref="ToleranceCheck.Check"/>: the offending levels and a one-line message.</summary>
/// <param name="Tolerance">The grouping tolerance used.</param>
/// <param name="SpectralWidth">E_max − E_min.</param>
/// <param name="Levels">Every level whose eigenvalues spread over more than <see cref="ToleranceCheck.RelativeSpreadLimit"/> × the width.</param>
/// <param name="Message">One line naming the tolerance and the levels (at most three, then how many more).</param>
public sealed record ToleranceWarning(double Tolerance, double SpectralWidth, IReadOnlyList<MergedLevel> Levels, string Message);

/// <summary>
/// Detects a degeneracy tolerance so large that it merges eigenvalues that are physically distinct: levels whose
/// eigenvalues spread over more than 1e-6 of the spectral width E_max − E_min (the default tolerance, 1e-9 of the
/// spectrum's scale, merges only rounding-level splittings). Merged levels give a wrong steady state and Gibbs
/// distance without any error, so the command-line tool prints the message as a warning.
/// </summary>
public static class ToleranceCheck
{
    /// <summary>The largest spread of one level's eigenvalues, relative to the spectral width, that is not warned about: 1e-6.</summary>
    public const double RelativeSpreadLimit = 1e-6;

    /// <summary>
    /// The levels of <paramref name="basis"/> that merge eigenvalues more than <see cref="RelativeSpreadLimit"/> × the
    /// spectral width apart, or null when there are none. <paramref name="context"/> (e.g. "model.yaml: options.tolerance")
    /// starts the message.
    /// </summary>
    public static ToleranceWarning? Check(EigenBasis basis, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(basis);
        var e = basis.Energies;
        if (e.Length < 2) return null;
        double width = e[^1] - e[0];
        if (!(width > 0)) return null;
        var merged = new List<MergedLevel>();
        for (int k = 0; k < basis.Levels.Count; k++)
        {
            var level = basis.Levels[k];
            if (level.Count < 2) continue;
            double lo = e[level.Start], hi = e[level.Start + level.Count - 1];
            if (hi - lo > RelativeSpreadLimit * width) merged.Add(new MergedLevel(k, level.Start, level.Count, lo, hi));
        }
        if (merged.Count == 0) return null;
        double spread = merged.Max(m => m.Highest - m.Lowest);
        var named = merged.Take(3).Select(m =>
            $"level {m.Level} = eigenvalues {m.First}–{m.First + m.Count - 1} (E from {F(m.Lowest)} to {F(m.Highest)})");
        string more = merged.Count > 3 ? $" and {merged.Count - 3} more level{(merged.Count == 4 ? "" : "s")}" : "";
        string message = $"{(context is null ? "" : context + ": ")}the degeneracy tolerance {F(basis.Tolerance)} merges " +
                         $"eigenvalues up to {F(spread)} apart ({F(spread / width)} of the spectral width {F(width)}) into one level: " +
                         $"{string.Join("; ", named)}{more}; the results treat them as degenerate (use a tolerance below the smallest physical splitting)";
        return new ToleranceWarning(basis.Tolerance, width, merged, message);
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}

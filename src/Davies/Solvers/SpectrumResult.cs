using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>The spectrum of the generator and the relaxation scales that follow from it.</summary>
public sealed class SpectrumResult
{
    internal SpectrumResult(EnergyBasisModel model, IReadOnlyList<SpectralMode> all, double scale, double? populationGap,
        double? t1, double? t2, SpectrumMethod method, int modes)
    {
        Decomposed = model;
        Eigenvalues = all;
        Scale = scale;
        double zero = Propagator.ZeroRelative * scale;
        KernelDimension = all.Count(m => m.Eigenvalue.Magnitude <= zero);
        PersistentOscillations = all.Count(m => m.Eigenvalue.Magnitude > zero && Math.Abs(m.Eigenvalue.Real) <= zero);
        var decaying = all.Where(m => Math.Abs(m.Eigenvalue.Real) > zero)
            .OrderBy(m => -m.Eigenvalue.Real).ThenBy(m => Math.Abs(m.Eigenvalue.Imaginary)).ThenBy(m => m.Eigenvalue.Imaginary).ToArray();
        SpectralGap = decaying.Length > 0 ? -decaying[0].Eigenvalue.Real : 0;
        SlowestModes = TiesInOrder(decaying, TieRelative * scale).Take(modes).ToArray();
        PopulationGap = populationGap;
        T1 = t1;
        T2 = t2;
        Method = method;
    }

    /// <summary>Decay rates (and frequencies) closer than this × the spectrum's scale are a tie for the order of the modes.</summary>
    internal const double TieRelative = 1e-12;

    // Modes sorted by −Re λ, re-ordered inside runs of equal decay (consecutive |Re λ| within `tol`: a conjugate pair,
    // mirror images) by |Im λ|, and inside runs of equal |Im λ| by Im λ: λ and λ* come out in one order (Im < 0 first)
    // whichever of them rounding made decay faster, so the list does not depend on the eigenbasis chosen.
    private static SpectralMode[] TiesInOrder(SpectralMode[] sorted, double tol)
    {
        var result = (SpectralMode[])sorted.Clone();
        static void RunsOf(SpectralMode[] a, int from, int to, Func<SpectralMode, double> key, double tol, Action<int, int> each)
        {
            for (int start = from; start < to;)
            {
                int end = start + 1;
                while (end < to && Math.Abs(key(a[end]) - key(a[end - 1])) <= tol) end++;
                if (end - start > 1) each(start, end);
                start = end;
            }
        }
        RunsOf(result, 0, result.Length, m => m.Eigenvalue.Real, tol, (start, end) =>
        {
            Array.Sort(result, start, end - start, Comparer<SpectralMode>.Create((x, y) =>
                Math.Abs(x.Eigenvalue.Imaginary).CompareTo(Math.Abs(y.Eigenvalue.Imaginary))));
            RunsOf(result, start, end, m => Math.Abs(m.Eigenvalue.Imaginary), tol, (s2, e2) =>
                Array.Sort(result, s2, e2 - s2, Comparer<SpectralMode>.Create((x, y) =>
                    x.Eigenvalue.Imaginary != y.Eigenvalue.Imaginary
                        ? x.Eigenvalue.Imaginary.CompareTo(y.Eigenvalue.Imaginary)
                        : y.Eigenvalue.Real.CompareTo(x.Eigenvalue.Real))));
        });
        return result;
    }

    /// <summary>The model in its eigenbasis.</summary>
    public EnergyBasisModel Decomposed { get; }

    /// <summary>
    /// The eigenvalues computed: all d² with <see cref="SpectrumOptions.Full"/> (or d ≤ 16), otherwise those of the
    /// sectors not skipped (<see cref="SkippedSectors"/>; of a large sector searched by a Krylov method, only the modes
    /// at least as slow as the pruning threshold; of a population block found by Lanczos, <see cref="SpectrumMethod.KmsLanczos"/>,
    /// only its kernel and its max(Modes, 1) slowest decays, ties included), which include every slowest mode reported.
    /// </summary>
    public IReadOnlyList<SpectralMode> Eigenvalues { get; }

    /// <summary>Number of Bohr sectors skipped because their decay provably exceeds every reported mode.</summary>
    public int SkippedSectors { get; init; }

    /// <summary>Number of sector blocks whose slow modes were found by Krylov–Schur (only those modes are in <see cref="Eigenvalues"/>).</summary>
    internal int KrylovBlocks { get; init; }

    /// <summary>max |λ| (over every sector, including those skipped and the part of a Lanczos population block not listed): an eigenvalue counts as zero when |λ| ≤ 1e-10 × Scale, a real part when |Re λ| ≤ 1e-10 × Scale.</summary>
    public double Scale { get; }

    /// <summary>Number of zero eigenvalues (the dimension of the space of steady states).</summary>
    public int KernelDimension { get; }

    /// <summary>Number of non-zero eigenvalues with zero real part: undamped oscillations (not counted in the gap).</summary>
    public int PersistentOscillations { get; }

    /// <summary>The spectral gap: the smallest non-zero |Re λ| over all sectors (0 when nothing decays).</summary>
    public double SpectralGap { get; }

    /// <summary>1 / <see cref="SpectralGap"/> (∞ when the gap is 0).</summary>
    public double RelaxationTime => SpectralGap > 0 ? 1 / SpectralGap : double.PositiveInfinity;

    /// <summary>The gap of the ν = 0 sector alone (populations and coherences inside degenerate levels); null for Bloch–Redfield, whose sectors mix.</summary>
    public double? PopulationGap { get; }

    /// <summary>The slowest decaying modes, by increasing |Re λ| (at most <see cref="SpectrumOptions.Modes"/>); ties within 1e-12 × the scale by |Im λ|, then Im λ.</summary>
    public IReadOnlyList<SpectralMode> SlowestModes { get; }

    /// <summary>Two-level system: the population relaxation time 1/|λ| of the population mode (null otherwise).</summary>
    public double? T1 { get; }

    /// <summary>
    /// Two-level system: the coherence decay time 1/|Re λ| of the ν = ω₀ sector (null otherwise); for Bloch–Redfield,
    /// whose ν = ±ω₀ modes mix (and turn real under strong damping), the slowest decaying mode of those sectors.
    /// </summary>
    public double? T2 { get; }

    /// <summary>How the eigenvalues were found (the CLI prints its <see cref="SolverMethodNames.ToWireName(SpectrumMethod)"/>).</summary>
    public SpectrumMethod Method { get; }
}

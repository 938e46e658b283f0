using System.Globalization;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The smallest eigenvalue of a density matrix, or of ρ(t) at each time of an evolution, made by
/// <see cref="Positivity"/>. A state is <b>negative</b> at an entry when its smallest eigenvalue is below
/// −<see cref="Positivity.RelativeTolerance"/> × ‖ρ‖₁ (‖ρ‖₁ = Σ_k |λ_k|, the trace norm: 1 for a state, so the threshold
/// is −1e-12 for every physical ρ, and it grows with ρ when positivity is lost).
/// </summary>
/// <param name="Times">The times of an evolution (one entry per time), or null for a steady state (one entry).</param>
/// <param name="MinEigenvalues">The smallest eigenvalue of ρ (of ½(ρ + ρ†)) per entry.</param>
/// <param name="TraceNorms">‖ρ‖₁ = Σ_k |λ_k| per entry: the scale of the threshold.</param>
/// <param name="BlochRedfield">Whether the states come from the Bloch–Redfield generator (<c>secular: none</c>), which is not completely positive.</param>
public sealed record PositivityReport(IReadOnlyList<double>? Times, IReadOnlyList<double> MinEigenvalues, IReadOnlyList<double> TraceNorms,
    bool BlochRedfield)
{
    private int ArgMin
    {
        get
        {
            int k = -1;
            for (int i = 0; i < MinEigenvalues.Count; i++)
                if (k < 0 || MinEigenvalues[i] < MinEigenvalues[k]) k = i;
            return k;
        }
    }

    /// <summary>The smallest eigenvalue over all entries (NaN when there is none, e.g. an evolution without times).</summary>
    public double MinEigenvalue => ArgMin is var k and >= 0 ? MinEigenvalues[k] : double.NaN;

    /// <summary>The time at which <see cref="MinEigenvalue"/> occurs (the first such time); null for a steady state or no times.</summary>
    public double? Time => Times is not null && ArgMin is var k and >= 0 ? Times[k] : null;

    /// <summary>Whether entry <paramref name="index"/> is negative: λ_min &lt; −<see cref="Positivity.RelativeTolerance"/> × ‖ρ‖₁.</summary>
    public bool IsNegative(int index) => MinEigenvalues[index] < -Positivity.RelativeTolerance * TraceNorms[index];

    /// <summary>How many entries are negative.</summary>
    public int NegativeCount => Enumerable.Range(0, MinEigenvalues.Count).Count(IsNegative);

    /// <summary>True when no entry is negative (ρ is positive semidefinite to rounding everywhere).</summary>
    public bool Positive => NegativeCount == 0;

    /// <summary>
    /// One line describing the loss of positivity (starting with <paramref name="context"/>, e.g. the model file), or
    /// null when <see cref="Positive"/>. For an evolution it names the time of the smallest eigenvalue and the range of
    /// times at which ρ(t) is negative.
    /// </summary>
    public string? Warning(string? context = null)
    {
        if (Positive) return null;
        string start = context is null ? "" : context + ": ";
        string what = Times is null ? "this steady state is not physical" : "ρ(t) is not physical at those times";
        string generator = BlochRedfield
            ? $"; the Bloch–Redfield equation (secular: none) is not completely positive and {what}: " +
              "compare with the Davies generator (secular: partial), which keeps every state positive"
            : "; the Davies generator is completely positive, so this is a numerical failure (please report it)";
        if (Times is null)
            return $"{start}the steady state is not positive: its smallest eigenvalue is {F(MinEigenvalue)} " +
                   $"(below −1e-12 × ‖ρ‖₁){generator}";
        var negative = Enumerable.Range(0, MinEigenvalues.Count).Where(IsNegative).Select(i => Times[i]).ToArray();
        return $"{start}ρ(t) is not positive at t = {F(Time!.Value)}: smallest eigenvalue {F(MinEigenvalue)} " +
               $"(negative at {negative.Length} of {Times.Count} times, t from {F(negative.Min())} to {F(negative.Max())}){generator}";
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}

/// <summary>
/// Positivity of the states a master equation produces. The Davies generator is of GKLS form, so e^{Lt} is completely
/// positive and every ρ(t) and ρ_ss is a state; the Bloch–Redfield generator (<c>secular: none</c>) is not, and ρ(t) can
/// acquire negative eigenvalues (typically at short times from a pure initial state, at low temperature and strong
/// damping, when a coupling has both a transverse and a longitudinal part). See docs/dynamics.md, "Positivity of
/// Bloch–Redfield".
/// </summary>
public static class Positivity
{
    /// <summary>
    /// The relative threshold below which a smallest eigenvalue counts as negative: λ_min &lt; −1e-12 × ‖ρ‖₁ (‖ρ‖₁ = Σ|λ_k|,
    /// 1 for a state). Rounding in the propagation stays far below it.
    /// </summary>
    public const double RelativeTolerance = 1e-12;

    /// <summary>
    /// The smallest eigenvalue of the steady state ρ_ss. A Davies steady state is block-diagonal over the levels of H_S,
    /// so its eigenvalues are those of the level blocks (the populations for a non-degenerate H_S): O(Σ_I d_I³).
    /// A Bloch–Redfield one is diagonalised whole (the model's backend, O(d³)).
    /// </summary>
    public static PositivityReport Of(SteadyStateResult steady)
    {
        ArgumentNullException.ThrowIfNull(steady);
        var (min, norm) = steady.BlockDiagonal
            ? OfBlockDiagonal(steady.DensityMatrixEigenbasis, steady.Decomposed.Basis, steady.Backend)
            : OfMatrix(steady.DensityMatrixEigenbasis, steady.Backend);
        return new PositivityReport(null, [min], [norm], steady.Method == SteadyStateMethod.RedfieldDense);
    }

    /// <summary>
    /// The smallest eigenvalue of ρ(t) at every time of <paramref name="evolution"/>: each state is formed again in the
    /// energy eigenbasis and diagonalised (the model's backend, O(d³) per time).
    /// </summary>
    public static PositivityReport Of(EvolutionResult evolution, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(evolution);
        int n = evolution.Times.Count;
        var mins = new double[n];
        var norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            (mins[i], norms[i]) = OfMatrix(evolution.DensityMatrixEigenbasis(i), evolution.Propagator.Backend);
        }
        return new PositivityReport(evolution.Times.ToArray(), mins, norms, evolution.Method == PropagationMethod.RedfieldDense);
    }

    /// <summary>
    /// A part of ρ (its off-diagonal or its imaginary part) whose Frobenius norm is at most this fraction of |Tr ρ| is
    /// dropped before diagonalising: by Weyl's inequality every eigenvalue moves by at most that norm, 1e-3 of the
    /// threshold <see cref="RelativeTolerance"/>. So a diagonal ρ (a Gibbs state inside a degenerate level) costs O(n²)
    /// and a real one a real symmetric eigensolver without eigenvectors.
    /// </summary>
    internal const double NegligibleRelative = 1e-15;

    /// <summary>
    /// The eigenvalues of ½(ρ + ρ†) (unsorted), each within <paramref name="negligible"/> of the exact ones: the diagonal
    /// when the off-diagonal part is below it, a real symmetric eigensolver (values only) when the imaginary part is,
    /// else the Hermitian eigensolver.
    /// </summary>
    internal static double[] Eigenvalues(Matrix<Complex> rho, ILinearAlgebraBackend backend, double negligible)
    {
        int n = rho.RowCount;
        var diagonal = new double[n];
        double off = 0, imaginary = 0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                var z = 0.5 * (rho[i, j] + Complex.Conjugate(rho[j, i]));
                if (i == j) diagonal[i] = z.Real;
                else off += z.Real * z.Real + z.Imaginary * z.Imaginary;
                imaginary += z.Imaginary * z.Imaginary;
            }
        if (Math.Sqrt(off) <= negligible) return diagonal;
        if (Math.Sqrt(imaginary) <= negligible)
            return backend.EigenvaluesSymmetric(Matrix<double>.Build.Dense(n, n, (i, j) => 0.5 * (rho[i, j].Real + rho[j, i].Real)));
        return backend.EigenHermitian(0.5 * (rho + rho.ConjugateTranspose())).Values;
    }

    private static double Negligible(Matrix<Complex> rho) => NegligibleRelative * rho.Trace().Magnitude;

    private static (double Min, double TraceNorm) OfMatrix(Matrix<Complex> rho, ILinearAlgebraBackend backend)
    {
        var values = Eigenvalues(rho, backend, Negligible(rho));
        return (values.Min(), values.Sum(Math.Abs));
    }

    /// <summary>ρ block-diagonal over the levels of <paramref name="basis"/> (eigenbasis): the union of the blocks' eigenvalues.</summary>
    private static (double Min, double TraceNorm) OfBlockDiagonal(Matrix<Complex> rho, EigenBasis basis, ILinearAlgebraBackend backend)
    {
        double min = double.PositiveInfinity, norm = 0, negligible = Negligible(rho);
        foreach (var level in basis.Levels)
        {
            var values = level.Count == 1
                ? [rho[level.Start, level.Start].Real]
                : Eigenvalues(rho.SubMatrix(level.Start, level.Count, level.Start, level.Count), backend, negligible);
            foreach (var x in values)
            {
                min = Math.Min(min, x);
                norm += Math.Abs(x);
            }
        }
        return (min, norm);
    }
}

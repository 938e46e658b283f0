using Davies.Generators;
using Davies.Solvers;

namespace Davies.Thermodynamics;

/// <summary>
/// The linear functionals of a trajectory — the energy Tr[H_S ρ] and every bath's heat current Tr[H_S D_k(ρ)] —
/// restricted to each block of a propagator, and their values and time integrals along e^{Lt}ρ₀ from the block's
/// mode expansion. Row 0 is the energy, row 1 + k the current of bath k. H_S is taken with its grouped level energies
/// Ē_I (the energies the generator's jumps carry), so dE/dt = Σ_k J_k holds to rounding.
/// </summary>
internal sealed class TrajectoryFunctionals
{
    private readonly List<Part> _parts = [];
    private readonly int _rows;

    // One block the initial state reaches: its functionals F (rows × block coordinates) and either the modal weights
    // W[r, j] = (F v_j) c_j with eigenvalues λ_j, or (Padé path) x₀ and the block generator A.
    private sealed record Part(Matrix<Complex> F, Matrix<Complex>? Weights, Complex[] Lambda, Vector<Complex> X0, SectorDynamics Dynamics);

    private TrajectoryFunctionals(int rows) => _rows = rows;

    /// <summary>Whether ρ(t) has coherences between distinct levels (blocks off the ν = 0 sector, or Bloch–Redfield).</summary>
    public bool HasCoherences { get; private set; }

    public static TrajectoryFunctionals Build(Propagator propagator, Propagator.Prepared prepared)
    {
        var dm = propagator.Model;
        var basis = dm.Basis;
        int d = basis.Dimension, nb = dm.Jumps.BathCount;
        var result = new TrajectoryFunctionals(1 + nb);
        var levelEnergy = Enumerable.Range(0, d).Select(n => basis.Levels[basis.LevelOf(n)].Energy).ToArray();
        bool redfield = propagator.Generator is null; // a dense generator (Bloch–Redfield or local): one block
        HeatOperators? heat = redfield ? null : HeatOperators.Of(dm.Jumps);
        Matrix<Complex>[]? redfieldRows = redfield ? DenseCurrentRows(dm, levelEnergy) : null;
        for (int b = 0; b < propagator.Blocks.Length; b++)
        {
            var x0 = prepared.X0[b];
            if (x0.All(z => z == Complex.Zero)) continue;
            var blk = propagator.Blocks[b];
            int n = blk.Rows.Length;
            var f = Matrix<Complex>.Build.Dense(1 + nb, n);
            for (int k = 0; k < n; k++)
            {
                int m = blk.Rows[k], c = blk.Columns[k];
                int I = basis.LevelOf(m);
                if (basis.LevelOf(c) != I)
                {
                    result.HasCoherences = true;
                    if (!redfield) continue;
                }
                if (m == c) f[0, k] = levelEnergy[m];
                if (redfield)
                {
                    for (int r = 0; r < nb; r++) f[1 + r, k] = redfieldRows![r][0, k];
                    continue;
                }
                int s = basis.Levels[I].Start;
                for (int r = 0; r < nb; r++) f[1 + r, k] = -heat!.Omega[r][I][c - s, m - s];
            }
            if (redfield) result.HasCoherences = true;
            if (f.Enumerate().All(z => z == Complex.Zero)) continue; // a coherence block: no energy, no current
            var dyn = blk.Dynamics;
            if (dyn.UsesPade || prepared.Coefficients(b) is not { } coeff)
            {
                result._parts.Add(new Part(f, null, dyn.Eigenvalues, x0, dyn));
                continue;
            }
            var w = f * dyn.Vectors!;
            for (int j = 0; j < n; j++)
                for (int r = 0; r < 1 + nb; r++) w[r, j] *= coeff[j];
            result._parts.Add(new Part(f, w, dyn.Eigenvalues, x0, dyn));
        }
        return result;
    }

    // A dense generator (one block over all d² coordinates in column stacking): row k of the current functional is
    // f_k = Σ_n Ē_n L_k[n + n·d, ·] with L_k bath k's part of the dense generator.
    private static Matrix<Complex>[] DenseCurrentRows(Spectral.EnergyBasisModel dm, double[] levelEnergy)
    {
        int d = dm.Dimension, nb = dm.Jumps.BathCount;
        var rows = new Matrix<Complex>[nb];
        for (int b = 0; b < nb; b++)
        {
            var l = DenseGenerator.Of(dm, b);
            var row = Matrix<Complex>.Build.Dense(1, d * d);
            for (int n = 0; n < d; n++)
                if (levelEnergy[n] != 0)
                    for (int k = 0; k < d * d; k++) row[0, k] += levelEnergy[n] * l[n + n * d, k];
            rows[b] = row;
        }
        return rows;
    }

    /// <summary>The functionals at time t, [energy, J_0, J_1, …], and their integrals ∫₀ᵗ, [∫E, Q_0, Q_1, …].</summary>
    public (double[] Values, double[] Integrals) At(double t)
    {
        var v = new Complex[_rows];
        var q = new Complex[_rows];
        foreach (var p in _parts)
        {
            if (p.Weights is { } w)
            {
                for (int j = 0; j < p.Lambda.Length; j++)
                {
                    var lambda = p.Lambda[j];
                    var e = Complex.Exp(lambda * t);
                    var z = lambda * t;
                    var phi = z.Magnitude < 1e-2 ? Phi(lambda, t) : (e - 1) / lambda;
                    for (int r = 0; r < _rows; r++)
                    {
                        v[r] += w[r, j] * e;
                        q[r] += w[r, j] * phi;
                    }
                }
                continue;
            }
            var fx = p.F * p.Dynamics.Evolve(p.X0, null, t);
            var fq = p.F * IntegralOfPade(p.Dynamics.Generator, p.X0, t);
            for (int r = 0; r < _rows; r++)
            {
                v[r] += fx[r];
                q[r] += fq[r];
            }
        }
        return (v.Select(z => z.Real).ToArray(), q.Select(z => z.Real).ToArray());
    }

    /// <summary>φ(λ, t) = ∫₀ᵗ e^{λs} ds = (e^{λt} − 1)/λ, by its series where λt is small (no cancellation; t at λ = 0).</summary>
    internal static Complex Phi(Complex lambda, double t)
    {
        var z = lambda * t;
        if (z.Magnitude < 1e-2)
        {
            // t (1 + z/2 + z²/6 + z³/24 + z⁴/120 + z⁵/720): relative error below 1e-16 for |z| < 1e-2
            var sum = Complex.One;
            var term = Complex.One;
            for (int k = 2; k <= 7; k++)
            {
                term *= z / k;
                sum += term;
            }
            return t * sum;
        }
        return (Complex.Exp(z) - 1) / lambda;
    }

    // ∫₀ᵗ e^{As} x₀ ds: the last column's top part of exp(t [[A, x₀], [0, 0]]).
    private static Vector<Complex> IntegralOfPade(Matrix<Complex> a, Vector<Complex> x0, double t)
    {
        int n = a.RowCount;
        if (n == 1) return x0 * Phi(a[0, 0], t);
        var m = Matrix<Complex>.Build.Dense(n + 1, n + 1);
        m.SetSubMatrix(0, 0, a * t);
        for (int i = 0; i < n; i++) m[i, n] = x0[i] * t;
        var e = MatrixExponential.Exp(m);
        return e.Column(n).SubVector(0, n);
    }
}

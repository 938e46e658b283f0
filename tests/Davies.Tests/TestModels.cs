using Davies.Baths;
using Davies.Operators;
using Davies.Models;
using Davies.Spaces;

namespace Davies.Tests;

/// <summary>
/// Every model and random matrix the tests share (one factory): seeded random models with a chosen spectrum, the qubit,
/// oscillator and Ising ring of the relaxation oracles, the benchmark chain, spectator and free-qubit models.
/// </summary>
internal static class TestModels
{
    public static Matrix<Complex> RandomHermitian(Random rng, int d, double scale = 1)
    {
        var m = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        return scale * (m + m.ConjugateTranspose());
    }

    public static Matrix<Complex> RandomUnitary(Random rng, int d)
    {
        var h = RandomHermitian(rng, d);
        var evd = h.Evd(Symmetricity.Hermitian);
        return evd.EigenVectors;
    }

    /// <summary>
    /// A random model with the given spectrum (degenerate levels and degenerate gaps if the spectrum has them),
    /// random Hermitian couplings, baths at the given inverse temperatures.
    /// </summary>
    public static OpenSystemModel Random(int seed, double[] spectrum, double[] betas, int couplingsPerBath = 1,
        bool lambShift = true, SecularMode secular = SecularMode.Partial) =>
        RandomWithBasis(seed, spectrum, betas, couplingsPerBath, lambShift, secular).Model;

    /// <summary>
    /// <see cref="Random"/> together with the unitary U it was built from: H = U diag(spectrum) U†, so column k of U is
    /// an eigenvector of energy spectrum[k] (an eigenbasis known exactly, independent of the library's eigensolver).
    /// </summary>
    public static (OpenSystemModel Model, Matrix<Complex> U) RandomWithBasis(int seed, double[] spectrum, double[] betas,
        int couplingsPerBath = 1, bool lambShift = true, SecularMode secular = SecularMode.Partial)
    {
        var rng = new Random(seed);
        int d = spectrum.Length;
        var u = RandomUnitary(rng, d);
        var h = u * Matrix<Complex>.Build.DenseOfDiagonalArray(spectrum.Select(e => new Complex(e, 0)).ToArray()) * u.ConjugateTranspose();
        h = 0.5 * (h + h.ConjugateTranspose());
        var baths = new List<Bath>();
        for (int b = 0; b < betas.Length; b++)
        {
            var cs = Enumerable.Range(0, couplingsPerBath).Select(_ => RandomHermitian(rng, d)).ToArray();
            baths.Add(new Bath($"bath{b}", new TestRates(betas[b], 0.02 + 0.01 * b, 4, lambShift ? 0.03 : 0), cs));
        }
        return (new OpenSystemModel(HilbertSpace.Single(d), h, baths, null, new ModelOptions(secular, lambShift)), u);
    }

    public static readonly double[] NonDegenerate = [-1.3, -0.4, 0.25, 0.9, 1.7];
    public static readonly double[] DegenerateLevels = [-1, -1, 0.3, 0.3, 0.3, 1.1];
    public static readonly double[] DegenerateGaps = [0, 1, 2, 3, 3.5, 3.5];

    public static Matrix<Complex> Pauli(char p) => p switch
    {
        'X' => Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 1 }, { 1, 0 } }),
        'Y' => Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, -Complex.ImaginaryOne }, { Complex.ImaginaryOne, 0 } }),
        'Z' => Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 1, 0 }, { 0, -1 } }),
        _ => Matrix<Complex>.Build.DenseIdentity(2),
    };

    /// <summary>Kronecker product of Paulis, site 0 leftmost: e.g. "ZI".</summary>
    public static Matrix<Complex> PauliString(string s)
    {
        var m = Pauli(s[0]);
        for (int i = 1; i < s.Length; i++) m = m.KroneckerProduct(Pauli(s[i]));
        return m;
    }

    public static Matrix<Complex> Diag(params double[] x) =>
        Matrix<Complex>.Build.DenseOfDiagonalArray(x.Select(v => new Complex(v, 0)).ToArray());

    /// <summary>H = (ω₀/2)σz, coupling σx, Ohmic-like TestRates (no ω = 0 part is ever needed).</summary>
    public static OpenSystemModel Qubit(double omega0, double beta, double lamb = 0.03, SecularMode secular = SecularMode.Partial) =>
        new(HilbertSpace.Single(2), (omega0 / 2) * Pauli('Z'),
            [new Bath("bath", new TestRates(beta, 0.05, 4, lamb), [Pauli('X')])], null,
            new ModelOptions(secular, lamb != 0));

    public static Matrix<Complex> Annihilation(int n)
    {
        var a = Matrix<Complex>.Build.Dense(n, n);
        for (int k = 1; k < n; k++) a[k - 1, k] = Math.Sqrt(k);
        return a;
    }

    /// <summary>H = ω a†a truncated to n levels, coupling a + a†.</summary>
    public static OpenSystemModel Oscillator(int n, double omega, IRateFunction rates)
    {
        var a = Annihilation(n);
        var h = omega * (a.ConjugateTranspose() * a);
        return new OpenSystemModel(HilbertSpace.Single(n), h, [new Bath("bath", rates, [a + a.ConjugateTranspose()])], null,
            new ModelOptions(SecularMode.Partial, rates.HasLambShift));
    }

    /// <summary>Periodic ring H = −J Σ Z_i Z_{i+1}, couplings X_i (each its own mode of one bath).</summary>
    public static OpenSystemModel IsingRing(int n, double j, IRateFunction rates)
    {
        string Op(params (int Site, char P)[] ps)
        {
            var c = Enumerable.Repeat('I', n).ToArray();
            foreach (var (s, p) in ps) c[s] = p;
            return new string(c);
        }
        int d = 1 << n;
        var h = Matrix<Complex>.Build.Dense(d, d);
        for (int i = 0; i < n; i++) h -= j * PauliString(Op((i, 'Z'), ((i + 1) % n, 'Z')));
        var couplings = Enumerable.Range(0, n).Select(i => PauliString(Op((i, 'X')))).ToArray();
        return new OpenSystemModel(new HilbertSpace(Enumerable.Repeat(2, n)), h, [new Bath("bath", rates, couplings)], null,
            new ModelOptions(SecularMode.Partial, false));
    }

    /// <summary>e^A by scaling and squaring of a plain Taylor series (an independent reference, slow but simple).</summary>
    public static Matrix<Complex> TaylorExp(Matrix<Complex> a)
    {
        double norm = a.L1Norm();
        int s = norm > 0.25 ? (int)Math.Ceiling(Math.Log2(norm / 0.25)) : 0;
        var x = a / Math.Pow(2, s);
        var id = Matrix<Complex>.Build.DenseIdentity(a.RowCount);
        var sum = id.Clone();
        var term = id.Clone();
        for (int k = 1; k <= 30; k++)
        {
            term = term * x / k;
            sum += term;
        }
        for (int i = 0; i < s; i++) sum = sum * sum;
        return sum;
    }

    public static Matrix<Complex> RandomDensityMatrix(Random rng, int d)
    {
        var g = Matrix<Complex>.Build.Dense(d, d, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var rho = g * g.ConjugateTranspose();
        return rho / rho.Trace();
    }

    public static double MinEigenvalue(Matrix<Complex> h) =>
        (0.5 * (h + h.ConjugateTranspose())).Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real);

    /// <summary>The benchmark model: transverse-field Ising chain H = −Σ Z_i Z_{i+1} − 0.7 Σ X_i, one Ohmic bath (η = 0.01, ω_c = 5, T = 1) per site through <paramref name="coupling"/>_i.</summary>
    public static OpenSystemModel Chain(int n, char coupling, bool lamb = true)
    {
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        var terms = Enumerable.Range(0, n - 1).Select(i => (new Complex(-1, 0), $"Z{i} Z{i + 1}"))
            .Concat(Enumerable.Range(0, n).Select(i => (new Complex(-0.7, 0), $"X{i}")));
        var h = OperatorParser.Sum(terms, space);
        var baths = Enumerable.Range(0, n).Select(i => new Bath($"site{i}",
            new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1.0), [OperatorParser.Parse($"{coupling}{i}", space)])).ToList();
        return new OpenSystemModel(space, h, baths, null, new ModelOptions(LambShift: lamb));
    }

    // sites [2]*n, H = 0.5 Z0, one Ohmic bath (T = 0.5, η = 0.05, ω_c = 10) through X0: a qubit times n − 1 spectators
    public static OpenSystemModel Spectators(int n) => ModelFile.Parse($$"""
        sites: [{{string.Join(", ", Enumerable.Repeat(2, n))}}]
        hamiltonian: [[0.5, "Z0"]]
        baths:
          - name: bath
            temperature: 0.5
            spectrum: {type: ohmic, eta: 0.05, cutoff: 10}
            couplings: ["X0"]
        """, ModelFileFormat.Yaml, $"spectators{n}.yaml");

    // n free qubits H = Σ 0.5 Z_i, each coupled through X_i to its own Ohmic bath
    public static OpenSystemModel FreeQubits(int n) => ModelFile.Parse($$"""
        sites: [{{string.Join(", ", Enumerable.Repeat(2, n))}}]
        hamiltonian: [{{string.Join(", ", Enumerable.Range(0, n).Select(i => $"[0.5, \"Z{i}\"]"))}}]
        baths:
        {{string.Join("\n", Enumerable.Range(0, n).Select(i => $"  - {{name: b{i}, temperature: 0.5, spectrum: {{type: ohmic, eta: 0.05, cutoff: 10}}, couplings: [\"X{i}\"]}}"))}}
        """, ModelFileFormat.Yaml, $"free{n}.yaml");
}

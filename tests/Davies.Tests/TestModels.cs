using Davies.Baths;
using Davies.Models;
using Davies.Spaces;

namespace Davies.Tests;

/// <summary>A KMS-consistent Ohmic-like rate function written independently of the library's baths (for structure tests).</summary>
internal sealed class TestRates(double beta, double eta = 0.05, double cutoff = 4, double lamb = 0.03) : IRateFunction
{
    public double Beta { get; } = beta;
    public double Rate(double w)
    {
        if (w == 0) return double.IsPositiveInfinity(Beta) ? 0 : 2 * Math.PI * eta / Beta;
        double j = eta * Math.Abs(w) * Math.Exp(-Math.Abs(w) / cutoff);
        if (double.IsPositiveInfinity(Beta)) return w > 0 ? 2 * Math.PI * j : 0;
        return w > 0 ? 2 * Math.PI * j / -double.ExpM1(-Beta * w) : 2 * Math.PI * j / double.ExpM1(Beta * -w);
    }
    public double LambShift(double w) => lamb * w / (1 + w * w) - 0.5 * lamb;
    public bool HasLambShift => lamb != 0;
    public string Description => "test rates";
}

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
}

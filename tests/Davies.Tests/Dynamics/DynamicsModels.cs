using Davies.Baths;
using Davies.Models;
using Davies.Spaces;

namespace Davies.Tests.Dynamics;

/// <summary>Glauber rates G(ω) = r/(1 + e^{−βω}) written independently of the library (KMS: G(−ω) = e^{−βω}G(ω)).</summary>
internal sealed class GlauberTestRates(double rate, double beta) : IRateFunction
{
    public double Beta { get; } = beta;
    public double Rate(double w)
    {
        if (w == 0) return rate / 2;
        if (double.IsPositiveInfinity(Beta)) return w > 0 ? rate : 0;
        double x = -Beta * w;
        return x > 0 ? rate * Math.Exp(-x) / (1 + Math.Exp(-x)) : rate / (1 + Math.Exp(x));
    }
    public double LambShift(double w) => 0;
    public bool HasLambShift => false;
    public string Description => "glauber test rates";
}

internal static class DynamicsModels
{
    public static Matrix<Complex> Diag(params double[] x) =>
        Matrix<Complex>.Build.DenseOfDiagonalArray(x.Select(v => new Complex(v, 0)).ToArray());

    /// <summary>H = (ω₀/2)σz, coupling σx, Ohmic-like TestRates (no ω = 0 part is ever needed).</summary>
    public static OpenSystemModel Qubit(double omega0, double beta, double lamb = 0.03, SecularMode secular = SecularMode.Partial) =>
        new(HilbertSpace.Single(2), (omega0 / 2) * TestModels.Pauli('Z'),
            [new Bath("bath", new TestRates(beta, 0.05, 4, lamb), [TestModels.Pauli('X')])], null,
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
        for (int i = 0; i < n; i++) h -= j * TestModels.PauliString(Op((i, 'Z'), ((i + 1) % n, 'Z')));
        var couplings = Enumerable.Range(0, n).Select(i => TestModels.PauliString(Op((i, 'X')))).ToArray();
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
}

using Davies.Baths;
using Davies.Models;
using Davies.Spaces;

namespace Davies.Bench;

/// <summary>
/// The benchmark model: transverse-field Ising chain H = −J Σ Z_i Z_{i+1} − h Σ X_i (open ends), each site coupled
/// through σz_i (or σx_i) to its own Ohmic bath.
/// </summary>
internal static class IsingChain
{
    public const double J = 1.0, H = 0.7, Eta = 0.01, Cutoff = 5.0, Temperature = 1.0;

    /// <summary>Builds the model; coupling operators are sparse (diagonal / permutation) so that they cost O(d) memory.</summary>
    public static OpenSystemModel Build(int n, char coupling, bool lambShift, out string ratesDescription,
        MasterEquationApproach approach = MasterEquationApproach.Global)
    {
        int d = 1 << n;
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        // sparse (n + 1 entries per column): a dense complex H would hold 4 GiB at n = 14 for the whole run
        var entries = new List<Tuple<int, int, Complex>>(d * (n + 1));
        for (int s = 0; s < d; s++)
        {
            double diag = 0;
            for (int i = 0; i + 1 < n; i++) diag -= J * Z(s, i, n) * Z(s, i + 1, n);
            entries.Add(Tuple.Create(s, s, new Complex(diag, 0)));
            for (int i = 0; i < n; i++) entries.Add(Tuple.Create(s ^ Bit(i, n), s, new Complex(-H, 0)));
        }
        var h = Matrix<Complex>.Build.SparseOfIndexed(d, d, entries);
        var rates = Rates(out ratesDescription);
        var baths = new List<Bath>();
        for (int i = 0; i < n; i++)
        {
            Matrix<Complex> op = coupling == 'x'
                ? Matrix<Complex>.Build.SparseOfIndexed(d, d, Enumerable.Range(0, d).Select(s => Tuple.Create(s ^ Bit(i, n), s, Complex.One)))
                : Matrix<Complex>.Build.SparseOfDiagonalArray(Enumerable.Range(0, d).Select(s => new Complex(Z(s, i, n), 0)).ToArray());
            baths.Add(new Bath($"site{i}", rates, [op], [$"{char.ToUpperInvariant(coupling)}{i}"]));
        }
        // the Hamiltonian's terms (sparse), for the local approach: −J Z_i Z_{i+1} and −h X_i
        var terms = new List<Matrix<Complex>>();
        for (int i = 0; i + 1 < n; i++)
        {
            int a = i;
            terms.Add(Matrix<Complex>.Build.SparseOfDiagonalArray(Enumerable.Range(0, d).Select(s => new Complex(-J * Z(s, a, n) * Z(s, a + 1, n), 0)).ToArray()));
        }
        for (int i = 0; i < n; i++)
        {
            int a = i;
            terms.Add(Matrix<Complex>.Build.SparseOfIndexed(d, d, Enumerable.Range(0, d).Select(s => Tuple.Create(s ^ Bit(a, n), s, new Complex(-H, 0)))));
        }
        return new OpenSystemModel(space, h, baths, null, new ModelOptions(LambShift: lambShift, Approach: approach), terms);
    }

    /// <summary>Site 0 is the most significant bit (docs/conventions.md).</summary>
    private static int Bit(int site, int n) => 1 << (n - 1 - site);

    private static double Z(int s, int site, int n) => (s & Bit(site, n)) == 0 ? 1 : -1;

    /// <summary>
    /// The library's Ohmic thermal rates; while they are unimplemented on this branch, a local G(ω) without Lamb
    /// shift (same formula, docs/conventions.md) so that the harness still measures the linear algebra.
    /// </summary>
    private static IRateFunction Rates(out string description)
    {
        var rates = new ThermalRates(new OhmicSpectralDensity(Eta, Cutoff, 1), 1 / Temperature);
        try
        {
            _ = rates.Rate(1.0);
            _ = rates.LambShift(1.0);
            description = rates.Description;
            return rates;
        }
        catch (NotImplementedException)
        {
            description = $"FALLBACK local ohmic(eta={Eta}, cutoff={Cutoff}) at T={Temperature}, no Lamb shift (library ThermalRates not implemented on this build)";
            return new FallbackOhmic(1 / Temperature);
        }
    }

    private sealed class FallbackOhmic(double beta) : IRateFunction
    {
        public double Beta { get; } = beta;

        public double Rate(double w)
        {
            if (w == 0) return 2 * Math.PI * Eta / Beta;
            double j = Eta * w * Math.Exp(-Math.Abs(w) / Cutoff); // odd extension
            return 2 * Math.PI * j / -double.ExpM1(-Beta * w);    // 2πJ(ω)(n(ω)+1)
        }

        public double LambShift(double omega) => 0;
        public bool HasLambShift => false;
        public string Description => "fallback ohmic";
    }
}

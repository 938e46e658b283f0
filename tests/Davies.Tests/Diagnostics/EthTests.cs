using Davies.Diagnostics;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary>
/// The definitions of <see cref="Eth"/> against direct computations in the test: eigenstate values as the diagonal (or
/// level averages) of V†OV from Math.NET's own eigendecomposition, the off-diagonal bins, the microcanonical average,
/// the fluctuation and the level-spacing ratio by brute force, basis independence inside degenerate levels, the
/// effective temperature, and the validation of bad input.
/// </summary>
public class EthTests
{
    private static Matrix<Complex> Sparse(Matrix<Complex> m) => Matrix<Complex>.Build.SparseOfMatrix(m);

    /// <summary>A random model on d = 2^n (one site per qubit) with H real or complex, non-degenerate.</summary>
    private static OpenSystemModel RandomModel(int seed, int n, bool complexH)
    {
        var rng = new Random(seed);
        int d = 1 << n;
        var h = TestModels.RandomHermitian(rng, d);
        if (!complexH) h = h.Map(z => new Complex(z.Real, 0));
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        return new OpenSystemModel(space, h, [new Bath("bath", new TestRates(1.0, 0.02, 4, 0.03), [TestModels.RandomHermitian(rng, d)])]);
    }

    private static (double[] E, Matrix<Complex> V) Evd(Matrix<Complex> h)
    {
        var evd = (0.5 * (h + h.ConjugateTranspose())).Evd(Symmetricity.Hermitian);
        return (evd.EigenValues.Select(z => z.Real).ToArray(), evd.EigenVectors);
    }

    [Theory]
    [InlineData(false, false, 5)] // real H, dense O (mostly non-zero): the backend's dense product, d = 32
    [InlineData(true, false, 5)]  // complex H
    [InlineData(false, true, 7)]  // real H, sparse O with imaginary entries: the compressed-row path, real V
    [InlineData(true, true, 7)]   // complex H, sparse O
    [InlineData(false, false, 7)] // real H, dense O at d = 128 (beyond the small-operator shortcut)
    public void EigenstateValuesAndOffDiagonalBins_MatchDenseVdaggerOV(bool complexH, bool sparseO, int n)
    {
        var model = RandomModel(11 + n, n, complexH);
        int d = model.Dimension;
        var rng = new Random(5);
        Matrix<Complex> o;
        if (sparseO)
        {
            // "X0 Y1" (imaginary antisymmetric) + 0.7 "Z2" + 0.3 "X1 X3": a Hermitian Pauli sum with imaginary entries
            o = OperatorParser.Sum([(1, "X0 Y1"), (0.7, "Z2"), (0.3, "X1 X3")], model.Space);
            o = Sparse(o);
        }
        else o = TestModels.RandomHermitian(rng, d);
        var result = Eth.Analyze(model, [new NamedOperator("O", o)], new EthOptions { OffDiagonalBins = 7 });
        var (e, v) = Evd(model.Hamiltonian);
        var ot = v.ConjugateTranspose() * o * v;
        var values = result.Observables[0].EigenstateValues;
        for (int k = 0; k < d; k++)
        {
            Assert.Equal(e[k], result.Energies[k], 1e-10);
            Assert.Equal(ot[k, k].Real, values[k], 1e-10);
        }

        Assert.Equal((d / 4, 3 * d / 4), (result.MiddleStart, result.MiddleEnd));
        int lo = result.MiddleStart, hi = result.MiddleEnd;
        double width = e[hi - 1] - e[lo];
        var sums = new double[7];
        var counts = new long[7];
        for (int m = lo; m < hi; m++)
            for (int k = m + 1; k < hi; k++)
            {
                int b = Math.Min(6, (int)((e[k] - e[m]) / width * 7));
                sums[b] += Math.Pow(ot[m, k].Magnitude, 2);
                counts[b]++;
            }
        var off = result.Observables[0].OffDiagonal;
        Assert.Equal(counts, off.Count);
        for (int b = 0; b < 7; b++)
        {
            Assert.Equal((b + 0.5) * width / 7, off.Omega[b], 1e-12);
            Assert.Equal(sums[b] / counts[b], off.MeanSquare[b], 1e-10);
        }
    }

    [Fact]
    public void MicrocanonicalFluctuationAndSpacingRatio_MatchBruteForce()
    {
        var model = RandomModel(3, 6, complexH: false);
        var o = TestModels.RandomHermitian(new Random(9), 64);
        var r = Eth.Analyze(model, [new NamedOperator("O", o)], new EthOptions { MicrocanonicalHalfWidth = 0.1 });
        var e = r.Energies;
        var x = r.Observables[0].EigenstateValues;
        double delta = 0.1 * (e[^1] - e[0]);
        Assert.Equal(delta, r.MicrocanonicalHalfWidth, 1e-12);
        for (int n = 0; n < e.Length; n++)
        {
            var window = Enumerable.Range(0, e.Length).Where(m => Math.Abs(e[m] - e[n]) <= delta).ToArray();
            Assert.Equal(window.Average(m => x[m]), r.Observables[0].Microcanonical[n], 1e-12);
        }
        int lo = r.MiddleStart, hi = r.MiddleEnd;
        double fluctuation = Enumerable.Range(lo, hi - lo - 1).Average(k => Math.Abs(x[k + 1] - x[k]));
        Assert.Equal(fluctuation, r.Observables[0].Fluctuation, 1e-12);
        double deviation = Math.Sqrt(Enumerable.Range(lo, hi - lo).Average(k => Math.Pow(x[k] - r.Observables[0].Microcanonical[k], 2)));
        Assert.Equal(deviation, r.Observables[0].Deviation, 1e-12);
        var s = Enumerable.Range(lo, hi - lo - 1).Select(k => e[k + 1] - e[k]).ToArray();
        double ratio = Enumerable.Range(0, s.Length - 1).Average(k => Math.Min(s[k], s[k + 1]) / Math.Max(s[k], s[k + 1]));
        Assert.Equal(ratio, r.LevelSpacingRatio, 1e-12);
    }

    /// <summary>The rotation R inside each degenerate level of <see cref="TestModels.DegenerateLevels"/> (levels {0,1}, {2,3,4}).</summary>
    private static Matrix<Complex> RotationInsideLevels(int seed)
    {
        var rng = new Random(seed);
        var r = Matrix<Complex>.Build.DenseIdentity(6);
        r.SetSubMatrix(0, 0, TestModels.RandomUnitary(rng, 2));
        r.SetSubMatrix(2, 2, TestModels.RandomUnitary(rng, 3));
        return r;
    }

    [Fact]
    public void DegenerateLevels_GiveLevelAverages_IndependentOfTheBasisInsideTheLevel()
    {
        double[] spectrum = TestModels.DegenerateLevels; // [-1, -1, 0.3, 0.3, 0.3, 1.1]
        var (model, u) = TestModels.RandomWithBasis(21, spectrum, [1.0]);
        var rng = new Random(4);
        var o = TestModels.RandomHermitian(rng, 6);
        var rho = TestModels.RandomDensityMatrix(rng, 6);
        EthResult Run(Matrix<Complex> vectors)
        {
            var basis = EigenBasis.FromDecomposition(spectrum, vectors);
            return Eth.Analyze(EnergyBasisModel.Build(model, basis), [new NamedOperator("O", o)], rho);
        }
        var a = Run(u);
        var b = Run(u * RotationInsideLevels(8));
        (int Start, int Count)[] levels = [(0, 2), (2, 3), (5, 1)];
        double diagonal = 0;
        foreach (var (start, count) in levels)
        {
            var ui = u.SubMatrix(0, 6, start, count);
            var projector = ui * ui.ConjugateTranspose();
            double average = (projector * o).Trace().Real / count;
            diagonal += (projector * rho * projector * o).Trace().Real;
            for (int k = start; k < start + count; k++)
            {
                Assert.Equal(average, a.Observables[0].EigenstateValues[k], 1e-12);
                Assert.Equal(average, b.Observables[0].EigenstateValues[k], 1e-12);
            }
        }
        Assert.Equal(diagonal, a.Observables[0].DiagonalEnsemble!.Value, 1e-12);
        Assert.Equal(diagonal, b.Observables[0].DiagonalEnsemble!.Value, 1e-12);
        Assert.Equal(a.Observables[0].OffDiagonal.MeanSquare, b.Observables[0].OffDiagonal.MeanSquare, (x, y) => double.IsNaN(x) ? double.IsNaN(y) : Math.Abs(x - y) < 1e-12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeDegenerateLevel_GivesLevelAverages_AndTheDiagonalEnsemble(bool complexH)
    {
        // levels of degeneracy 3, 20 (≥ LargeLevel: its block comes from one backend product) and 9
        double[] spectrum = [.. Enumerable.Repeat(-1.0, 3), .. Enumerable.Repeat(0.2, 20), .. Enumerable.Repeat(1.3, 9)];
        var (model, u) = TestModels.RandomWithBasis(31, spectrum, [1.0]);
        if (!complexH)
        {
            // a real orthogonal U: the real-vector path of the library
            var q = Matrix<double>.Build.Random(32, 32, 7).QR().Q;
            u = q.ToComplex();
            var h = u * TestModels.Diag(spectrum) * u.ConjugateTranspose();
            model = new OpenSystemModel(model.Space, 0.5 * (h + h.ConjugateTranspose()), model.Baths);
        }
        Assert.True(spectrum.Count(x => x == 0.2) >= EigenstateMatrixElements.LargeLevel);
        var rng = new Random(6);
        var o = TestModels.RandomHermitian(rng, 32);
        var rho = TestModels.RandomDensityMatrix(rng, 32);
        var basis = EigenBasis.FromDecomposition(spectrum, u);
        var r = Eth.Analyze(EnergyBasisModel.Build(model, basis), [new NamedOperator("O", o)], rho);
        double diagonal = 0;
        foreach (var (start, count) in new[] { (0, 3), (3, 20), (23, 9) })
        {
            var ui = u.SubMatrix(0, 32, start, count);
            var projector = ui * ui.ConjugateTranspose();
            diagonal += (projector * rho * projector * o).Trace().Real;
            Assert.Equal((projector * o).Trace().Real / count, r.Observables[0].EigenstateValues[start], 1e-12);
        }
        Assert.Equal(diagonal, r.Observables[0].DiagonalEnsemble!.Value, 1e-12);
    }

    [Fact]
    public void CanonicalEnsemble_SolveBeta_InvertsTheEnergy_AtEveryTemperature()
    {
        var (model, _) = TestModels.RandomWithBasis(2, [-2.1, -1.4, -1.4, -0.2, 0.6, 0.61, 1.9, 3.3], [1.0]);
        var basis = EigenBasis.Compute(model.Hamiltonian);
        var c = new CanonicalEnsemble(basis);
        double width = c.Max - c.Min;
        foreach (double b in new[] { -25.0, -3, -0.4, -1e-5, 1e-5, 0.3, 2.5, 25 })
        {
            double beta = b / width;
            var (solved, regime) = c.SolveBeta(c.Energy(beta));
            Assert.Equal(beta > 0 ? EffectiveTemperatureRegime.Positive : EffectiveTemperatureRegime.Negative, regime);
            Assert.Equal(beta, solved, Math.Abs(beta) * 1e-6 + 1e-12);
        }
        Assert.Equal((double.PositiveInfinity, EffectiveTemperatureRegime.Ground), c.SolveBeta(c.Min));
        // an energy within the degeneracy tolerance of E_min (β·gap ≈ 39: E − E_min ≈ 1e-17) counts as the ground level
        Assert.Equal((double.PositiveInfinity, EffectiveTemperatureRegime.Ground), c.SolveBeta(c.Energy(300 / width)));
        Assert.Equal((double.NegativeInfinity, EffectiveTemperatureRegime.Top), c.SolveBeta(c.Max + 1));
        Assert.Equal((0.0, EffectiveTemperatureRegime.Infinite), c.SolveBeta(basis.Energies.Average()));
        // E(β) decreases strictly
        var energies = Enumerable.Range(-20, 41).Select(k => c.Energy(k * 0.5 / width)).ToArray();
        for (int k = 1; k < energies.Length; k++) Assert.True(energies[k] < energies[k - 1]);
    }

    [Fact]
    public void Scaling_FitsTheExponentOfTheFluctuation_AgainstTheDimension()
    {
        var results = new[] { 4, 5, 6 }.Select(n => Eth.Analyze(RandomModel(n, n, false),
            [new NamedOperator("O", TestModels.RandomHermitian(new Random(n), 1 << n))])).ToArray();
        var s = Assert.Single(Eth.Scaling(results.Reverse().ToArray()));
        Assert.Equal([16, 32, 64], s.Dimensions);
        Assert.Equal([4, 5, 6], s.Sites);
        var x = s.Dimensions.Select(d => Math.Log(d)).ToArray();
        var y = s.Fluctuations.Select(f => Math.Log(f)).ToArray();
        double mx = x.Average(), my = y.Average();
        double slope = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
        Assert.Equal(-slope, s.Exponent, 1e-12);
        Assert.Equal(results[2].Observables[0].Fluctuation / results[0].Observables[0].Fluctuation, s.Ratio, 1e-12);
    }

    [Fact]
    public void ProductLabel_IsRepeated_ToTheNumberOfSites()
    {
        var model = RandomModel(1, 6, false);
        Assert.Equal("010101", Eth.Tile("01", model));
        Assert.Equal("011011", Eth.Tile("011", model));
        Assert.Equal("0101", Eth.Tile("0101", model)); // 4 does not divide 6: left to InitialStates.Parse (an error there)
        Assert.Equal("ground", Eth.Tile("ground", model));
        Assert.Equal("010101", Eth.Tile("010101", model));
    }

    // ------------------------------------------------------------------ bad input

    [Fact]
    public void Observable_OfTheWrongDimension_IsAModelException()
    {
        var model = RandomModel(1, 3, false);
        var e = Assert.Throws<ModelException>(() => Eth.Analyze(model, [new NamedOperator("big", TestModels.RandomHermitian(new Random(1), 16))]));
        Assert.Contains("'big' is 16×16, but the model has dimension 8", e.Message);
    }

    [Fact]
    public void NonHermitianObservable_IsAModelException()
    {
        var model = RandomModel(1, 3, false);
        var sigmaPlus = OperatorParser.Sum([(0.5, "X0"), (new Complex(0, 0.5), "Y0")], model.Space);
        var e = Assert.Throws<ModelException>(() => Eth.Analyze(model, [new NamedOperator("sp", sigmaPlus)]));
        Assert.Contains("'sp' is not Hermitian", e.Message);
    }

    [Fact]
    public void ModelBeyondTheDenseLimit_IsRefused_BeforeAnyDiagonalisation()
    {
        var space = new HilbertSpace(Enumerable.Repeat(2, 15)); // d = 32768 > 16384
        var h = OperatorParser.Sum(Enumerable.Range(0, 15).Select(i => (Complex.One, $"Z{i}")), space);
        var model = new OpenSystemModel(space, h, [new Bath("b", new TestRates(1, 0.01, 4, 0), [OperatorParser.Parse("X0", space)])]) { SourceName = "big.yaml" };
        var e = Assert.Throws<ResourceLimitException>(() => Eth.Analyze(model, [new NamedOperator("z", OperatorParser.Parse("Z0", space))]));
        Assert.StartsWith("big.yaml: eth needs every eigenvector of H_S", e.Message);
        Assert.Contains("d = 32768 exceeds its limit of 16384", e.Message);
    }

    [Fact]
    public void MemoryEstimate_OverTheLimit_IsRefused()
    {
        var model = RandomModel(1, 8, false); // d = 256: 5 × 256² × 8 B = 2.5 MiB
        long before = MemoryBudget.Limit;
        try
        {
            MemoryBudget.Limit = 1 << 20;
            var e = Assert.Throws<ResourceLimitException>(() => Eth.Analyze(model, []));
            Assert.Contains("eth (d = 256", e.Message);
        }
        finally { MemoryBudget.Limit = before; }
    }

    [Theory]
    [InlineData(0.0, 40)]
    [InlineData(1.5, 40)]
    [InlineData(0.025, 0)]
    public void BadOptions_AreModelExceptions(double halfWidth, int bins)
    {
        var model = RandomModel(1, 3, false);
        Assert.Throws<ModelException>(() => Eth.Analyze(model, [], new EthOptions { MicrocanonicalHalfWidth = halfWidth, OffDiagonalBins = bins }));
    }

    [Fact]
    public void SameObservableNameTwice_IsAModelException()
    {
        var model = RandomModel(1, 3, false);
        var z = OperatorParser.Parse("Z0", model.Space);
        Assert.Throws<ModelException>(() => Eth.Analyze(model, [new NamedOperator("z", z), new NamedOperator("z", z)]));
    }
}

using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Physics;

/// <summary>
/// Highly degenerate models (spectator sites, free qubits) solved block by block of the invariant components of the
/// Bohr sectors, against the analytic answers and the single-qubit model; the structured blocks against the dense
/// sector matrices; GMRES and Lanczos against the dense solvers.
/// </summary>
public class DegenerateScaleTests
{
    private const double Beta = 2; // T = 0.5 (the temperature of TestModels.Spectators and FreeQubits)

    private static readonly Lazy<SpectrumResult> QubitSpectrum = new(() => Spectrum.Compute(TestModels.Spectators(1)));

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(12)]
    public void Spectators_SteadyState_IsTheQubitsTimesMaximallyMixed(int n)
    {
        var model = TestModels.Spectators(n);
        var ss = SteadyState.Solve(model);
        int spectators = 1 << (n - 1);
        Assert.Equal((long)spectators * spectators, ss.KernelDimension); // the qubit's kernel × all spectator operators
        Assert.False(ss.Unique);
        Assert.True(ss.GibbsTraceDistance < 1e-10, $"Gibbs distance {ss.GibbsTraceDistance}");
        Assert.Equal(-Math.Tanh(Beta * 0.5), ss.Expectation(Davies.Operators.OperatorParser.Parse("Z0", model.Space)), 10);
        Assert.Equal(0, ss.Expectation(Davies.Operators.OperatorParser.Parse("Z1", model.Space)), 12);
        Assert.Equal(0, ss.Expectation(Davies.Operators.OperatorParser.Parse($"X{n - 1}", model.Space)), 12);
        Assert.True(Math.Abs(ss.HeatCurrents["bath"]) < 1e-12);
        // the spectator-free model: same shifted qubit levels
        var qubit = SteadyState.Solve(TestModels.Spectators(1));
        Assert.Equal(qubit.ShiftedEnergies[0], ss.ShiftedEnergies[0], 12);
        Assert.Equal(qubit.ShiftedEnergies[1], ss.ShiftedEnergies[^1], 12);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public void Spectators_Spectrum_HasTheQubitsGap_AndTheSpectatorKernel(int n)
    {
        var sp = Spectrum.Compute(TestModels.Spectators(n));
        int spectators = 1 << (n - 1);
        Assert.Equal((long)spectators * spectators, sp.KernelDimension);
        Assert.Equal(QubitSpectrum.Value.SpectralGap, sp.SpectralGap, 12);
        Assert.Equal(QubitSpectrum.Value.PopulationGap!.Value, sp.PopulationGap!.Value, 12);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(10)]
    public void FreeQubits_SteadyState_IsTheGibbsProduct(int n)
    {
        var model = TestModels.FreeQubits(n);
        var ss = SteadyState.Solve(model);
        Assert.True(ss.Unique);
        Assert.Equal(1, ss.KernelDimension);
        Assert.True(ss.GibbsTraceDistance < 1e-8, $"Gibbs distance {ss.GibbsTraceDistance}");
        for (int i = 0; i < n; i++) Assert.Equal(-Math.Tanh(Beta * 0.5), ss.Expectation(Davies.Operators.OperatorParser.Parse($"Z{i}", model.Space)), 10);
        Assert.Equal(Math.Tanh(Beta * 0.5) * Math.Tanh(Beta * 0.5), ss.Expectation(Davies.Operators.OperatorParser.Parse("Z0 Z1", model.Space)), 10);
        Assert.Equal(n > 6 ? SteadyStateMethod.PopulationSectorBlocks : ss.Method, ss.Method);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public void FreeQubits_Spectrum_GapIsTheSingleQubitCoherenceDecay(int n)
    {
        var sp = Spectrum.Compute(TestModels.FreeQubits(n));
        var q = QubitSpectrum.Value;
        Assert.Equal(SpectrumMethod.Blocks, sp.Method);
        Assert.Equal(1, sp.KernelDimension);
        Assert.Equal(1 / q.T2!.Value, sp.SpectralGap, 12);           // one qubit's coherence, the others at rest
        Assert.Equal(1 / q.T1!.Value, sp.PopulationGap!.Value, 12);  // one qubit's population relaxation
        Assert.True(sp.SkippedSectors > 0);
        Assert.All(sp.SlowestModes, m => Assert.Equal(1 / q.T2!.Value, -m.Eigenvalue.Real, 12));
    }

    [Fact]
    public void SeventeenQubits_AreRefusedAtLoad_AndByTheBuild()
    {
        var e = Assert.ThrowsAny<ModelException>(() => TestModels.Spectators(17));
        Assert.Contains("sites (line 1): the Hilbert space has dimension 131072, more than 46340", e.Message);
        // a model of that size built in code is refused by the build's estimate, before any d×d array exists
        var space = new HilbertSpace(Enumerable.Repeat(2, 17));
        var x = Davies.Operators.OperatorParser.Parse("X0", space);
        var h = Davies.Operators.OperatorParser.Parse("Z0", space) * 0.5;
        var model = new OpenSystemModel(space, h, [new Bath("b", new TestRates(2), [x])], null, new ModelOptions());
        var r = Assert.Throws<ResourceLimitException>(() => EnergyBasisModel.Build(model));
        Assert.Contains("d = 131072", r.Message);
        Assert.Contains("exceeds the largest dimension Davies holds as d×d arrays (46340)", r.Message);
    }

    [Fact]
    public void MemoryLimit_RefusesTheBuild_WithTheEstimate()
    {
        var model = TestModels.FreeQubits(6);
        double need = EnergyBasisModel.EstimateBuildBytes(model);
        Assert.Equal(64.0 * 64 * (8 * (2 + 6) + 8), need); // real: eigenvectors, work copy, 6 couplings, index tables
        var e = Assert.Throws<ResourceLimitException>(() => MemoryBudget.Require(need, "the build", (long)need / 2));
        Assert.Equal("the build needs about 288 KiB, more than the available memory of 144 KiB (set a lower limit with --max-memory, or reduce the model)", e.Message);
        MemoryBudget.Require(need, "the build", (long)need);
        // a limit set in this context applies to what runs in it
        MemoryBudget.Limit = 100_000;
        try { Assert.Throws<ResourceLimitException>(() => EnergyBasisModel.Build(model)); }
        finally { MemoryBudget.Limit = 0; }
    }

    // ---- structured blocks against the dense sector matrices ----

    public static TheoryData<int, string> RandomCases() => new()
    {
        { 1, "levels" }, { 2, "gaps" }, { 3, "levels" }, { 4, "sparse" }, { 5, "sparse" },
    };

    // Random degenerate models with several baths and a Lamb shift: a dense eigenbasis ("levels", "gaps"), or a
    // diagonal H with degenerate levels and gaps and sparse random couplings ("sparse", permuted site basis).
    private static OpenSystemModel RandomDegenerate(int seed, string kind)
    {
        if (kind != "sparse")
            return TestModels.Random(seed, kind == "levels" ? TestModels.DegenerateLevels : TestModels.DegenerateGaps, [0.7, 1.3], couplingsPerBath: 2);
        var rng = new Random(seed);
        double[] energies = [0, 1, 1, 2, 2, 2, 3, 3.5, 1, 0];
        int d = energies.Length;
        var h = Matrix<Complex>.Build.DenseOfDiagonalArray(energies.Select(x => new Complex(x, 0)).ToArray());
        Matrix<Complex> SparseCoupling()
        {
            var s = Matrix<Complex>.Build.Dense(d, d);
            for (int k = 0; k < 6; k++)
            {
                int i = rng.Next(d), j = rng.Next(d);
                var z = new Complex(rng.NextDouble() - 0.5, i == j ? 0 : rng.NextDouble() - 0.5);
                s[i, j] += z;
                if (i != j) s[j, i] += Complex.Conjugate(z);
            }
            return s;
        }
        var baths = new List<Bath>
        {
            new("a", new TestRates(0.7, 0.03, 4, 0.03), [SparseCoupling(), SparseCoupling()]),
            new("b", new TestRates(1.3, 0.02, 4, 0.03), [SparseCoupling()]),
        };
        return new OpenSystemModel(HilbertSpace.Single(d), h, baths, null, new ModelOptions(SecularMode.Partial, true));
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void StructuredBlocks_EqualTheDenseSectorMatrices(int seed, string kind)
    {
        var dm = EnergyBasisModel.Build(RandomDegenerate(seed, kind));
        var gen = new DaviesGenerator(dm);
        var comps = SectorComponents.Build(gen, sector0: false);
        int d = dm.Dimension;
        Assert.Equal(d * d, comps.ElementCount);
        var dense = gen.Sectors.Select(gen.SectorMatrix).ToArray();
        var covered = new bool[d * d];
        for (int c = 0; c < comps.Count; c++)
        {
            var elems = comps.Elements(c).ToArray();
            var block = comps.Matrix(c).ToDense();
            var sector = gen.SectorOf(elems[0] % d, elems[0] / d);
            var local = elems.Select(e => gen.SectorCoordinate(e % d, e / d)).ToArray();
            foreach (int e in elems)
            {
                Assert.Same(sector, gen.SectorOf(e % d, e / d)); // a block never leaves its sector
                covered[e] = true;
            }
            var full = dense[sector.Index];
            double scale = Math.Max(full.FrobeniusNorm(), 1);
            for (int i = 0; i < elems.Length; i++)
                for (int j = 0; j < elems.Length; j++)
                    Assert.True((block[i, j] - full[local[i], local[j]]).Magnitude <= 1e-13 * scale, $"block {c} ({i}, {j})");
            // invariance: no dense entry leads from the block to outside it
            var inside = new HashSet<int>(local);
            for (int i = 0; i < elems.Length; i++)
                for (int k = 0; k < full.RowCount; k++)
                    if (!inside.Contains(k)) Assert.True(full[k, local[i]] == Complex.Zero && full[local[i], k] == Complex.Zero);
        }
        Assert.All(covered, Assert.True);
        if (kind == "sparse") Assert.True(comps.Count > gen.Sectors.Count, "a permuted site basis splits the sectors further");
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void MatrixFreeSector0_EqualsTheDenseSector0Matrix(int seed, string kind)
    {
        var gen = new DaviesGenerator(EnergyBasisModel.Build(RandomDegenerate(seed, kind)));
        var rng = new Random(seed);
        var x = Vector<Complex>.Build.Dense(gen.PopulationSpace.Dimension, _ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var expected = gen.PopulationSectorMatrix() * x;
        var y = new Complex[x.Count];
        SectorComponents.Structure(gen, sector0: true).Apply(x.ToArray(), y);
        Assert.True((Vector<Complex>.Build.Dense(y) - expected).L2Norm() <= 1e-13 * Math.Max(expected.L2Norm(), 1));
        // the block-diagonal split of the ν = 0 sector reproduces it too
        var comps = SectorComponents.Build(gen, sector0: true);
        var z = new Complex[x.Count];
        for (int c = 0; c < comps.Count; c++)
        {
            var elems = comps.Elements(c).ToArray();
            var xs = elems.Select(e => x[e]).ToArray();
            var ys = new Complex[xs.Length];
            comps.Matrix(c).Multiply(xs, ys);
            for (int k = 0; k < elems.Length; k++) z[elems[k]] = ys[k];
        }
        Assert.True((Vector<Complex>.Build.Dense(z) - expected).L2Norm() <= 1e-13 * Math.Max(expected.L2Norm(), 1));
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void GmresSteadyState_EqualsTheDenseSector0Solution(int seed, string kind)
    {
        var dm = EnergyBasisModel.Build(RandomDegenerate(seed, kind));
        var dense = SteadyState.Solve(dm); // dense ν = 0 sector (small model)
        Assert.Equal(SteadyStateMethod.PopulationSector, dense.Method);
        var gen = new DaviesGenerator(dm);
        // every block with populations by GMRES (dense limits 0), the others by the bound
        var krylov = ComponentSteadyState.Solve(gen, LinearAlgebraProvider.Current, Spectrum.KmsWeights(dm), denseLimit: 1, denseMarkovLimit: 1);
        Assert.True(krylov.Krylov > 0, "GMRES was used");
        Assert.Equal(dense.KernelDimension, krylov.KernelDimension);
        var rho = gen.PopulationSpace.ToEigenbasis(gen.PopulationSpace.NormalizeState(krylov.X));
        Assert.True((rho - dense.DensityMatrixEigenbasis).FrobeniusNorm() < 1e-10, $"{(rho - dense.DensityMatrixEigenbasis).FrobeniusNorm()}");
        Assert.True(krylov.Residual < 1e-10);
    }

    [Theory]
    [InlineData(1, "levels")]
    [InlineData(4, "sparse")]
    public void BlockSpectrum_EqualsTheDenseSpectrum(int seed, string kind)
    {
        var dm = EnergyBasisModel.Build(RandomDegenerate(seed, kind));
        var dense = Spectrum.Compute(dm, new SpectrumOptions(Full: true));
        var blocks = ComponentSpectrum.Compute(new DaviesGenerator(dm), new SpectrumOptions(Full: true), Spectrum.KmsWeights(dm));
        Assert.Equal(dense.Eigenvalues.Count, blocks.Eigenvalues.Count);
        Assert.Equal(dense.KernelDimension, blocks.KernelDimension);
        Assert.Equal(dense.SpectralGap, blocks.SpectralGap, 10);
        // each dense eigenvalue matched to a distinct block eigenvalue
        var left = blocks.Eigenvalues.Select(m => m.Eigenvalue).ToList();
        foreach (var z in dense.Eigenvalues.Select(m => m.Eigenvalue))
        {
            int best = Enumerable.Range(0, left.Count).MinBy(i => (left[i] - z).Magnitude);
            Assert.True((left[best] - z).Magnitude < 1e-9, $"{z} has no partner (nearest {left[best]})");
            left.RemoveAt(best);
        }
        // pruned: the same gap and slowest modes
        var pruned = ComponentSpectrum.Compute(new DaviesGenerator(dm), new SpectrumOptions(Modes: 3), Spectrum.KmsWeights(dm));
        Assert.Equal(dense.SpectralGap, pruned.SpectralGap, 10);
        Assert.Equal(dense.KernelDimension, pruned.KernelDimension);
        for (int i = 0; i < 3; i++) Assert.Equal(-dense.SlowestModes[i].Eigenvalue.Real, -pruned.SlowestModes[i].Eigenvalue.Real, 9);
    }

    [Fact]
    public void LanczosSpectrum_EqualsTheDenseSpectrum_OnFreeQubits()
    {
        var dm = EnergyBasisModel.Build(TestModels.FreeQubits(6));
        var dense = Spectrum.Compute(dm); // sectors ≤ 1024: dense sector matrices
        var gen = new DaviesGenerator(dm);
        var lanczos = ComponentSpectrum.Compute(gen, new SpectrumOptions(), Spectrum.KmsWeights(dm), denseLimit: 4, denseHermitianLimit: 4);
        Assert.Equal(dense.SpectralGap, lanczos.SpectralGap, 11);
        Assert.Equal(dense.PopulationGap!.Value, lanczos.PopulationGap!.Value, 11);
        Assert.Equal(dense.KernelDimension, lanczos.KernelDimension);
        for (int i = 0; i < dense.SlowestModes.Count; i++)
            Assert.Equal(dense.SlowestModes[i].Eigenvalue.Real, lanczos.SlowestModes[i].Eigenvalue.Real, 10);
    }

    [Fact]
    public void DecayBound_IsBelowEveryDecayRate_AndTightForACoherenceBlock()
    {
        var dm = EnergyBasisModel.Build(TestModels.FreeQubits(5));
        var gen = new DaviesGenerator(dm);
        var comps = SectorComponents.Build(gen, sector0: false);
        var w = Spectrum.KmsWeights(dm);
        double gap = 1 / QubitSpectrum.Value.T2!.Value;
        bool tight = false;
        for (int c = 0; c < comps.Count; c++)
        {
            var m = comps.Matrix(c);
            double bound = m.DecayLowerBound(comps.Weights(c, w));
            var ev = m.ToDense().Evd().EigenValues;
            Assert.All(ev, z => Assert.True(-z.Real >= bound - 1e-12, $"block {c}: {z} below the bound {bound}"));
            if (!comps.IsPopulation(c) && Math.Abs(bound - gap) < 1e-12 && ev.Any(z => Math.Abs(-z.Real - gap) < 1e-12)) tight = true;
        }
        Assert.True(tight, "the bound is attained by a one-qubit coherence block");
    }
}

public class DegenerateEvolutionTests
{
    [Fact]
    public void FreeQubits_Evolution_ByBlocks_IsTheSingleQubitEvolution()
    {
        // 7 free qubits: the largest Bohr sector (3432 coherences) is propagated block by block
        var model = TestModels.FreeQubits(7);
        var dm = EnergyBasisModel.Build(model);
        var prop = Propagator.Create(dm);
        Assert.Equal(PropagationMethod.Blocks, prop.Method);
        var times = InitialStates.ParseTimes("0:12:4");
        var run = Evolution.Run(prop, InitialStates.Parse("0111111", dm), times,
            [new NamedOperator("z0", Davies.Operators.OperatorParser.Parse("Z0", model.Space)),
             new NamedOperator("z1", Davies.Operators.OperatorParser.Parse("Z1", model.Space))]);
        var qubit = TestModels.FreeQubits(1);
        var dq = EnergyBasisModel.Build(qubit);
        var z = Davies.Operators.OperatorParser.Parse("Z0", qubit.Space);
        var up = Evolution.Run(dq, InitialStates.Parse("0", dq), times, [new NamedOperator("z", z)]);
        var down = Evolution.Run(dq, InitialStates.Parse("1", dq), times, [new NamedOperator("z", z)]);
        for (int k = 0; k < times.Length; k++)
        {
            Assert.Equal(up.Expectations["z"][k], run.Expectations["z0"][k], 10);
            Assert.Equal(down.Expectations["z"][k], run.Expectations["z1"][k], 10);
        }
    }

    [Fact]
    public void Spectators_KeepTheInitialMarginal_WhileTheQubitRelaxes()
    {
        var model = TestModels.Spectators(8);
        var dm = EnergyBasisModel.Build(model);
        var times = InitialStates.ParseTimes("0:30:4");
        NamedOperator Op(string s) => new(s, Davies.Operators.OperatorParser.Parse(s, model.Space));
        var run = Evolution.Run(dm, InitialStates.Parse("01010101", dm), times, [Op("Z0"), Op("Z1"), Op("Z1 Z3"), Op("X2")]);
        Assert.Equal(PropagationMethod.Blocks, run.Method);
        var qubit = EnergyBasisModel.Build(TestModels.Spectators(1));
        var z = Evolution.Run(qubit, InitialStates.Parse("0", qubit), times,
            [new NamedOperator("z", Davies.Operators.OperatorParser.Parse("Z0", qubit.OpenSystem.Space))]);
        for (int k = 0; k < times.Length; k++)
        {
            Assert.Equal(z.Expectations["z"][k], run.Expectations["Z0"][k], 10);
            Assert.Equal(-1, run.Expectations["Z1"][k], 12);  // spectator in |1⟩
            Assert.Equal(1, run.Expectations["Z1 Z3"][k], 12); // spectators in |1⟩|1⟩
            Assert.Equal(0, run.Expectations["X2"][k], 12);
        }
    }
}

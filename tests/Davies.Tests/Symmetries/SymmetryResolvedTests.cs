using Davies.Baths;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;
using Davies.Symmetries;

namespace Davies.Tests.Symmetries;

/// <summary>
/// Symmetry-resolved diagonalisation of H_S against the plain one: every output (energies, levels, couplings in the
/// eigenbasis, steady state, heat currents, shifted energies, gap, ρ(t)) must be the same, on chains with each kind of
/// symmetry, with couplings that keep or break it, and with complex H_S.
/// </summary>
public class SymmetryResolvedTests
{
    internal static OpenSystemModel Model(int[] sites, IEnumerable<(double C, string Op)> h, IEnumerable<string> couplings,
        IReadOnlyList<SymmetryKind>? symmetries)
    {
        var space = new HilbertSpace(sites);
        var hm = OperatorParser.Sum(h.Select(t => (new Complex(t.C, 0), t.Op)), space);
        // two temperatures (hot and cold baths alternate): a non-equilibrium steady state with heat currents
        var baths = couplings.Select((op, i) => new Bath($"b{i}",
            new ThermalRates(new OhmicSpectralDensity(0.02, 5), i % 2 == 0 ? 1.0 : 0.5), [OperatorParser.Sum(ParseSum(op), space)])).ToList();
        return new OpenSystemModel(space, hm, baths) { Symmetries = symmetries };
    }

    // "X0 + Z1" → [(1, X0), (1, Z1)]
    private static IEnumerable<(Complex, string)> ParseSum(string op) => op.Split('+').Select(t => (Complex.One, t.Trim()));

    private static IEnumerable<int> Sites(int n) => Enumerable.Range(0, n);

    // −Σ Z_i Z_{i+1} − h Σ X_i (+ optional extra terms), open or periodic
    internal static List<(double, string)> Ising(int n, bool periodic, double hx = 0.7)
    {
        var t = Sites(periodic ? n : n - 1).Select(i => (-1.0, $"Z{i} Z{(i + 1) % n}")).ToList();
        t.AddRange(Sites(n).Select(i => (-hx, $"X{i}")));
        return t;
    }

    private static List<(double, string)> Xxz(int n, double delta, double hz)
    {
        var t = new List<(double, string)>();
        foreach (int i in Sites(n))
        {
            int j = (i + 1) % n;
            t.Add((1.0, $"X{i} X{j}"));
            t.Add((1.0, $"Y{i} Y{j}"));
            t.Add((delta, $"Z{i} Z{j}"));
            t.Add((hz, $"Z{i}"));
        }
        return t;
    }

    public static IEnumerable<object[]> Cases()
    {
        var flipRefl = new[] { SymmetryKind.Flip, SymmetryKind.Reflection };
        // open transverse-field Ising chain: flip and reflection; σz couplings flip the parity, σx keep it
        yield return ["ising-open-z", new[] { 2, 2, 2, 2, 2, 2 }, Ising(6, false), Sites(6).Select(i => $"Z{i}").ToArray(), flipRefl];
        yield return ["ising-open-x", new[] { 2, 2, 2, 2, 2, 2 }, Ising(6, false), Sites(6).Select(i => $"X{i}").ToArray(), flipRefl];
        // a coupling that breaks the reflection (on one end only) and one mixing parities
        yield return ["ising-open-mixed", new[] { 2, 2, 2, 2, 2 }, Ising(5, false), new[] { "Z0 + X1", "X4" }, flipRefl];
        // disorder: random bonds and fields X_i break the reflection but keep the flip (σz couplings flip it, σx keep it)
        var rng = new Random(31);
        var disordered = Sites(5).Select(i => (-1.0 - 0.4 * rng.NextDouble(), $"Z{i} Z{i + 1}"))
            .Concat(Sites(6).Select(i => (-0.5 - 0.5 * rng.NextDouble(), $"X{i}"))).ToList();
        yield return ["ising-disordered", new[] { 2, 2, 2, 2, 2, 2 }, disordered, new[] { "Z0", "X2", "Z5", "X4" }, new[] { SymmetryKind.Flip }];
        // random longitudinal fields on the XXZ ring keep u1 only (translation broken)
        var xxzDisordered = Xxz(6, 0.6, 0).Concat(Sites(6).Select(i => (0.5 * (rng.NextDouble() - 0.5), $"Z{i}"))).ToList();
        yield return ["xxz-disordered", new[] { 2, 2, 2, 2, 2, 2 }, xxzDisordered, new[] { "Z0", "X3" }, new[] { SymmetryKind.U1 }];
        // periodic: translation (momentum blocks) and flip
        yield return ["ising-ring", new[] { 2, 2, 2, 2, 2, 2 }, Ising(6, true), new[] { "Z0", "Z3", "X1" },
            new[] { SymmetryKind.Translation, SymmetryKind.Flip }];
        // XXZ ring in a field: u1 and translation; σz couplings keep u1, σx break it
        yield return ["xxz-ring", new[] { 2, 2, 2, 2, 2, 2 }, Xxz(6, 0.6, 0.2), new[] { "Z0", "X2", "Z4 + X5" },
            new[] { SymmetryKind.U1, SymmetryKind.Translation }];
        // XY chain with anisotropy in a transverse field: number parity Π Z and reflection
        yield return ["xy-parity", new[] { 2, 2, 2, 2, 2 },
            Sites(4).SelectMany(i => new[] { (1.2, $"X{i} X{i + 1}"), (0.8, $"Y{i} Y{i + 1}") }).Concat(Sites(5).Select(i => (0.5, $"Z{i}"))).ToList(),
            new[] { "X0", "Z2", "X4" }, new[] { SymmetryKind.Parity, SymmetryKind.Reflection }];
        // bosons: hopping, density interaction and on-site energy conserve the number; a + a† breaks it
        yield return ["bose-u1", new[] { 3, 3, 3 },
            Sites(2).SelectMany(i => new[] { (-0.6, $"ad{i} a{i + 1}"), (-0.6, $"a{i} ad{i + 1}"), (0.35, $"n{i} n{i + 1}") })
                .Concat(Sites(3).Select(i => (1.0, $"n{i}"))).ToList(),
            new[] { "a0 + ad0", "n1", "a2 + ad2" }, new[] { SymmetryKind.U1, SymmetryKind.Reflection }];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SymmetryResolved_EqualsUnsymmetrised_OnEveryOutput(string name, int[] sites, List<(double, string)> h, string[] couplings,
        SymmetryKind[] symmetries)
    {
        var resolved = Model(sites, h, couplings, symmetries);
        var plain = Model(sites, h, couplings, []);
        AssertSameResults(name, resolved, plain, symmetries);
    }

    [Fact]
    public void SymmetryResolved_EqualsUnsymmetrised_ForComplexHamiltonian()
    {
        // XXZ ring with a Dzyaloshinskii–Moriya term 0.3 Σ (X_i Y_j − Y_i X_j) (imaginary entries): complex H_S, u1 and
        // translation
        int n = 6;
        var h = Xxz(n, 0.4, 0.15);
        h.AddRange(Sites(n).SelectMany(i => new[] { (0.3, $"X{i} Y{(i + 1) % n}"), (-0.3, $"Y{i} X{(i + 1) % n}") }));
        var sym = new[] { SymmetryKind.U1, SymmetryKind.Translation };
        var resolved = Model(Enumerable.Repeat(2, n).ToArray(), h, ["Z0", "X3"], sym);
        var plain = Model(Enumerable.Repeat(2, n).ToArray(), h, ["Z0", "X3"], []);
        Assert.False(EigenBasis.IsReal(resolved.Hamiltonian));
        AssertSameResults("xxz-dm", resolved, plain, sym);
    }

    private static void AssertSameResults(string name, OpenSystemModel resolved, OpenSystemModel plain, SymmetryKind[] symmetries)
    {
        var a = EnergyBasisModel.Build(resolved);
        var b = EnergyBasisModel.Build(plain);
        Assert.Equal(symmetries, a.Basis.Symmetries);
        Assert.Empty(b.Basis.Symmetries);
        Assert.True(a.Basis.SymmetryBlockSizes.Count > 1, name);
        int d = a.Dimension;
        double scale = Math.Max(Math.Abs(b.Basis.Energies[0]), Math.Abs(b.Basis.Energies[^1]));
        for (int k = 0; k < d; k++) Assert.True(Math.Abs(a.Basis.Energies[k] - b.Basis.Energies[k]) < 1e-11 * scale, $"{name}: energy {k}");
        Assert.Equal(b.Basis.Levels.Count, a.Basis.Levels.Count);
        Assert.Equal(b.Bohr.PositiveCount, a.Bohr.PositiveCount);

        // the eigenvectors of the blocks are eigenvectors of H, orthonormal
        var v = a.Basis.Vectors;
        var hv = resolved.Hamiltonian * v;
        for (int k = 0; k < d; k++)
            Assert.True((hv.Column(k) - a.Basis.Energies[k] * v.Column(k)).L2Norm() < 1e-10 * scale, $"{name}: eigenvector {k}");
        Assert.True((v.ConjugateTranspose() * v - Matrix<Complex>.Build.DenseIdentity(d)).FrobeniusNorm() < 1e-10, name);

        // every coupling transformed by blocks (or as a mirror image) equals the plain V†SV of the same basis
        int c = 0;
        foreach (var bath in resolved.Baths)
            foreach (var s in bath.Couplings)
            {
                var reference = v.ConjugateTranspose() * s * v;
                var got = a.Jumps.Coupling(c++);
                Assert.True((got - reference).FrobeniusNorm() < 1e-10 * Math.Max(1, reference.FrobeniusNorm()), $"{name}: coupling {c - 1}");
            }

        var sa = SteadyState.Solve(a);
        var sb = SteadyState.Solve(b);
        Assert.True(Thermal.TraceDistance(sa.DensityMatrix, sb.DensityMatrix) < 1e-9, $"{name}: steady state");
        foreach (var bath in plain.Baths)
            Assert.True(Math.Abs(sa.HeatCurrents[bath.Name] - sb.HeatCurrents[bath.Name]) < 1e-10, $"{name}: heat current {bath.Name}");
        Assert.True(sa.HeatCurrents.Values.Any(x => Math.Abs(x) > 1e-6), $"{name}: the test needs a current");
        var shiftedA = sa.ShiftedEnergies.Order().ToArray();
        var shiftedB = sb.ShiftedEnergies.Order().ToArray();
        for (int k = 0; k < shiftedA.Length; k++) Assert.True(Math.Abs(shiftedA[k] - shiftedB[k]) < 1e-10 * scale, $"{name}: shifted {k}");

        var ga = Spectrum.Compute(a, new SpectrumOptions(Modes: 3));
        var gb = Spectrum.Compute(b, new SpectrumOptions(Modes: 3));
        Assert.True(gb.SpectralGap > 0, name);
        Assert.True(Math.Abs(ga.SpectralGap - gb.SpectralGap) < 1e-9 * gb.SpectralGap, $"{name}: gap {ga.SpectralGap} vs {gb.SpectralGap}");
        Assert.Equal(gb.KernelDimension, ga.KernelDimension);

        var rho0 = TestModels.RandomDensityMatrix(new Random(7), d);
        var pa = Propagator.Create(a);
        var pb = Propagator.Create(b);
        foreach (double t in new[] { 0.0, 0.7, 4.0 })
        {
            var diff = pa.Evolve(rho0, t) - pb.Evolve(rho0, t);
            Assert.True(diff.Enumerate().Max(z => z.Magnitude) < 1e-9, $"{name}: ρ(t = {t})");
        }
    }

    [Theory]
    [InlineData(false, false, "flip,reflection")]
    [InlineData(true, false, "flip")]        // random transverse fields: no reflection
    [InlineData(false, true, "reflection")]  // a longitudinal field: no flip
    public void Detection_FindsTheSymmetriesOfTheIsingChain(bool disorder, bool longitudinal, string expected)
    {
        int n = 8; // d = 256: detected automatically
        var rng = new Random(3);
        var h = Ising(n, false);
        if (disorder) h.AddRange(Sites(n).Select(i => (0.3 * (rng.NextDouble() - 0.5), $"X{i}")));
        if (longitudinal) h.AddRange(Sites(n).Select(i => (0.2, $"Z{i}")));
        var dm = EnergyBasisModel.Build(Model(Enumerable.Repeat(2, n).ToArray(), h, ["Z0", "Z7"], null));
        Assert.Equal(expected, string.Join(",", dm.Basis.Symmetries.Select(s => s.ToWireName())));
    }

    [Fact]
    public void Detection_PrefersTranslationOverReflection_OnARing()
    {
        int n = 8;
        var dm = EnergyBasisModel.Build(Model(Enumerable.Repeat(2, n).ToArray(), Ising(n, true), ["Z0"], null));
        Assert.Equal([SymmetryKind.Translation, SymmetryKind.Flip], dm.Basis.Symmetries);
        Assert.Equal(1 << n, dm.Basis.SymmetryBlockSizes.Sum());
    }

    [Fact]
    public void Detection_FindsU1_AndDropsTheFlip_ForXxzAtZeroField()
    {
        int n = 8;
        var dm = EnergyBasisModel.Build(Model(Enumerable.Repeat(2, n).ToArray(), Xxz(n, 0.5, 0), ["Z0"], null));
        Assert.Equal([SymmetryKind.U1, SymmetryKind.Translation], dm.Basis.Symmetries);
        // binomial blocks split by momentum: the largest is far below C(8, 4) = 70
        Assert.True(dm.Basis.SymmetryBlockSizes.Max() < 70);
    }

    [Fact]
    public void SmallModels_AreNotResolvedAutomatically()
    {
        var dm = EnergyBasisModel.Build(Model([2, 2, 2, 2], Ising(4, false), ["Z0"], null)); // d = 16 < 32
        Assert.Empty(dm.Basis.Symmetries);
        var five = EnergyBasisModel.Build(Model([2, 2, 2, 2, 2], Ising(5, false), ["Z0"], null)); // d = 32: detected
        Assert.Equal([SymmetryKind.Flip, SymmetryKind.Reflection], five.Basis.Symmetries);
    }

    [Fact]
    public void DegenerateRing_ValidityAndSlowestModes_AreTheSame_WithAndWithoutSymmetries()
    {
        // XXZ ring of five in a field: degenerate levels (momenta ±k), so the eigenbasis inside a level differs between
        // the two diagonalisations. The secular criterion (largest block norm, not largest entry) and the order of the
        // slowest modes (a conjugate pair λ, λ* in one order, whichever rounding made faster) must not see it.
        int n = 5;
        var space = new HilbertSpace(Enumerable.Repeat(2, n).ToArray());
        var terms = new List<(double, string)>();
        foreach (int i in Sites(n))
        {
            int j = (i + 1) % n;
            terms.AddRange([(1.0, $"X{i} X{j}"), (1.0, $"Y{i} Y{j}"), (0.6, $"Z{i} Z{j}"), (0.3, $"Z{i}")]);
        }
        var h = OperatorParser.Sum(terms.Select(t => (new Complex(t.Item1, 0), t.Item2)), space);
        var baths = new List<Bath>
        {
            new("b0", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1.0), [OperatorParser.Sum([(Complex.One, "Z0")], space)]),
            new("b1", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 0.5), [OperatorParser.Sum([(Complex.One, "X2")], space)]),
        };
        EnergyBasisModel Build(IReadOnlyList<SymmetryKind> symmetries) =>
            EnergyBasisModel.Build(new OpenSystemModel(space, h, baths) { Symmetries = symmetries });
        var resolved = Build([SymmetryKind.U1, SymmetryKind.Translation]);
        var plain = Build([]);
        Assert.True(plain.Basis.Levels.Count < plain.Dimension, "the test needs degenerate levels");
        var (vr, vp) = (Validity.Evaluate(resolved), Validity.Evaluate(plain));
        Assert.Equal(vp.Secular.Value, vr.Secular.Value, 1e-9 * vp.Secular.Value);
        var (sr, sp) = (Spectrum.Compute(resolved, new SpectrumOptions(Modes: 8)), Spectrum.Compute(plain, new SpectrumOptions(Modes: 8)));
        Assert.Equal(sp.SlowestModes.Count, sr.SlowestModes.Count);
        Assert.Contains(sp.SlowestModes, m => m.Eigenvalue.Imaginary != 0);
        for (int k = 0; k < sp.SlowestModes.Count; k++)
            Assert.True((sp.SlowestModes[k].Eigenvalue - sr.SlowestModes[k].Eigenvalue).Magnitude < 1e-9, $"mode {k}: {sp.SlowestModes[k].Eigenvalue} vs {sr.SlowestModes[k].Eigenvalue}");
    }

    [Fact]
    public void SecularCriterion_NamesTheSameCoupling_WithAndWithoutSymmetries()
    {
        // σz on every site of the open chain, one temperature: mirror-image couplings tie for the worst secular ratio up
        // to rounding, which differs between the two diagonalisations; the detail names the first of them either way
        int n = 6;
        var space = new HilbertSpace(Enumerable.Repeat(2, n).ToArray());
        var h = OperatorParser.Sum(Ising(n, false).Select(t => (new Complex(t.Item1, 0), t.Item2)), space);
        var baths = Sites(n).Select(i => new Bath($"site{i}", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1.0),
            [OperatorParser.Sum([(Complex.One, $"Z{i}")], space)])).ToList();
        ValidityReport Report(IReadOnlyList<SymmetryKind> symmetries) =>
            Validity.Evaluate(EnergyBasisModel.Build(new OpenSystemModel(space, h, baths) { Symmetries = symmetries }));
        var resolved = Report([SymmetryKind.Flip, SymmetryKind.Reflection]);
        var plain = Report([]);
        Assert.Equal(plain.Secular.Value, resolved.Secular.Value, 1e-9 * plain.Secular.Value);
        Assert.Equal(plain.Secular.Detail, resolved.Secular.Detail);
    }
}

using Davies.Spectral;

namespace Davies.Tests.Spectral;

public class JumpOperatorsTests
{
    public static TheoryData<string> Spectra => new() { "nondegenerate", "degenerate-levels", "degenerate-gaps" };

    private static EnergyBasisModel Build(string spectrum, int seed = 11) => EnergyBasisModel.Build(TestModels.Random(seed,
        spectrum switch
        {
            "nondegenerate" => TestModels.NonDegenerate,
            "degenerate-levels" => TestModels.DegenerateLevels,
            _ => TestModels.DegenerateGaps,
        }, [1.3, 0.4], couplingsPerBath: 2));

    [Theory]
    [MemberData(nameof(Spectra))]
    public void JumpOperators_SumToTheCoupling_AndNegativeFrequencyIsTheAdjoint(string spectrum)
    {
        var dm = Build(spectrum);
        var jumps = dm.Jumps;
        Assert.Equal(4, jumps.Count);
        for (int c = 0; c < jumps.Count; c++)
        {
            var sum = Matrix<Complex>.Build.Dense(dm.Dimension, dm.Dimension);
            foreach (int id in dm.Bohr.AllIds())
            {
                var s = jumps.Operator(c, id);
                sum += s;
                Assert.True((jumps.Operator(c, -id) - s.ConjugateTranspose()).FrobeniusNorm() < 1e-14, $"S(−ω) ≠ S(ω)† at id {id}");
            }
            Assert.True((sum - jumps.Coupling(c)).FrobeniusNorm() < 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(Spectra))]
    public void JumpOperators_AreEigenoperatorsOfTheHamiltonian(string spectrum)
    {
        // [H_S, S(ω)] = −ω S(ω) in the eigenbasis (H_S diagonal), to the grouping tolerance of the levels.
        var dm = Build(spectrum);
        var h = Matrix<Complex>.Build.DenseOfDiagonalArray(dm.Basis.Energies.Select(e => new Complex(e, 0)).ToArray());
        for (int c = 0; c < dm.Jumps.Count; c++)
            foreach (int id in dm.Bohr.AllIds())
            {
                var s = dm.Jumps.Operator(c, id);
                var defect = h * s - s * h + dm.Bohr.Value(id) * s;
                Assert.True(defect.FrobeniusNorm() < 1e-12 * (1 + s.FrobeniusNorm()), $"coupling {c}, id {id}: {defect.FrobeniusNorm()}");
            }
    }

    [Theory]
    [MemberData(nameof(Spectra))]
    public void Blocks_CarryTheirBathsRates_InDetailedBalance(string spectrum)
    {
        var dm = Build(spectrum);
        var betas = new[] { 1.3, 0.4 };
        int blocks = 0;
        for (int c = 0; c < dm.Jumps.Count; c++)
            foreach (var j in dm.Jumps.Blocks(c))
            {
                blocks++;
                Assert.Equal(c, j.Coupling);
                Assert.Equal(dm.Jumps.Bath(c), j.Bath);
                Assert.Equal(dm.Bohr.Id(j.To, j.From), j.FrequencyId);
                Assert.Equal(dm.Basis.Levels[j.From].Energy - dm.Basis.Levels[j.To].Energy, j.Frequency, 1e-12);
                Assert.Equal(dm.Jumps.Rate(j.Bath, j.FrequencyId), j.Rate);
                Assert.Equal(dm.Jumps.LambShift(j.Bath, j.FrequencyId), j.LambShift);
                Assert.True(dm.Jumps.HasBlock(c, j.To, j.From));
                if (j.FrequencyId != 0)
                    Assert.Equal(Math.Exp(-betas[j.Bath] * j.Frequency) * j.Rate, dm.Jumps.Rate(j.Bath, -j.FrequencyId), 1e-12);
            }
        int L = dm.Basis.Levels.Count;
        Assert.Equal(dm.Jumps.Count * L * L, blocks); // random couplings: every block is non-zero
    }

    [Fact]
    public void TransitionsByFrequency_GroupTheBlocksOfEachNonZeroFrequency()
    {
        var dm = Build("degenerate-gaps");
        for (int c = 0; c < dm.Jumps.Count; c++)
        {
            var byOmega = dm.Jumps.TransitionsByFrequency(c);
            Assert.DoesNotContain(0, byOmega.Keys);
            var expected = dm.Jumps.Blocks(c).Where(b => b.FrequencyId != 0).Select(b => (b.To, b.From)).OrderBy(x => x).ToArray();
            Assert.Equal(expected, byOmega.Values.SelectMany(x => x).OrderBy(x => x).ToArray());
            foreach (var (id, list) in byOmega)
                Assert.All(list, t => Assert.Equal(id, dm.Bohr.Id(t.To, t.From)));
        }
    }

    [Theory]
    [MemberData(nameof(Spectra))]
    public void TransitionRates_AreThePopulationEntriesOfTheDenseGenerator(string spectrum)
    {
        // Oracle: the Davies generator assembled in the site basis from Kronecker products (DenseLiouvillian), taken
        // to the eigenbasis; the rate from eigenstate m to n ≠ m is its entry ((n,n), (m,m)) (column stacking), and a
        // group's rate averages over the states it starts from.
        var dm = Build(spectrum);
        int d = dm.Dimension;
        var l = Davies.Generators.DenseLiouvillian.ToEigenbasis(Davies.Generators.DenseLiouvillian.Davies(dm), dm.Basis);
        int levels = dm.Basis.Levels.Count;
        var w = dm.Jumps.TransitionRates();
        Assert.Equal(levels, w.GetLength(0));
        double scale = 0;
        for (int n = 0; n < d; n++)
            for (int m = 0; m < d; m++) scale = Math.Max(scale, l[n + n * d, m + m * d].Magnitude);
        for (int to = 0; to < levels; to++)
            for (int from = 0; from < levels; from++)
            {
                double expected = 0;
                var lt = dm.Basis.Levels[to];
                var lf = dm.Basis.Levels[from];
                if (to != from)
                    for (int n = lt.Start; n < lt.Start + lt.Count; n++)
                        for (int m = lf.Start; m < lf.Start + lf.Count; m++) expected += l[n + n * d, m + m * d].Real;
                expected /= lf.Count;
                Assert.True(Math.Abs(w[to, from] - expected) < 1e-12 * scale, $"W[{to}, {from}] = {w[to, from]}, dense generator {expected}");
            }
        Assert.True(scale > 0);
    }

    [Fact]
    public void TransitionRates_OfGroups_AverageTheLevelRatesOverTheSourceStates()
    {
        var dm = Build("degenerate-levels");
        var levels = dm.Basis.Levels;
        var w = dm.Jumps.TransitionRates();
        int[] group = levels.Select((_, k) => k == 0 ? 0 : 1).ToArray(); // the ground level alone, the rest together
        var g = dm.Jumps.TransitionRates(group);
        Assert.Equal(2, g.GetLength(0));
        int rest = levels.Skip(1).Sum(x => x.Count);
        double down = 0, up = 0;
        for (int k = 1; k < levels.Count; k++)
        {
            down += w[0, k] * levels[k].Count;
            up += w[k, 0];
        }
        Assert.Equal(down / rest, g[0, 1], 12);
        Assert.Equal(up, g[1, 0], 12);
        Assert.Equal(0, g[0, 0]);
        Assert.Equal(0, g[1, 1]);
        // Both directions are driven (finite temperatures).
        Assert.True(g[0, 1] > 0 && g[1, 0] > 0);
        Assert.Throws<ArgumentException>(() => dm.Jumps.TransitionRates([0]));
    }
}

using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Tests.Spectral;

/// <summary>
/// A small kept build computes the Bohr frequencies on a second thread while the couplings are transformed
/// (<see cref="Aside{T}"/>); inside a single-threaded scope it computes them in line. Both builds must be the same
/// model: every Bohr frequency, pair id, rate and Lamb shift bit for bit.
/// </summary>
public class BohrAsideTests
{
    public static TheoryData<string> Models() => ["chain6z", "chain7x", "ring4", "random"];

    private static Davies.Models.OpenSystemModel Make(string name) => name switch
    {
        "chain6z" => TestModels.Chain(6, 'Z'), // d = 64 and 128: aside
        "chain7x" => TestModels.Chain(7, 'X'),
        "ring4" => TestModels.IsingRing(4, 1.0, new TestRates(1.5)),
        _ => TestModels.Random(7, [0, 0.3, 0.3, 1.1, 1.7, 2.0], [1.0, 0.5], couplingsPerBath: 2),
    };

    [Theory, MemberData(nameof(Models))]
    public void Build_WithBohrFrequenciesAside_EqualsTheBuildInLine(string name)
    {
        var model = Make(name);
        var aside = EnergyBasisModel.Build(model);
        EnergyBasisModel inLine;
        using (Parallelism.SingleThreadedScope()) inLine = EnergyBasisModel.Build(model);
        Assert.True(aside.Dimension < DenseKernels.ParallelMinimum);
        if (name.StartsWith("chain")) Assert.True(aside.Dimension >= EnergyBasisModel.AsideMinimum); // the others: in line both times
        Assert.Equal(inLine.Bohr.Positive, aside.Bohr.Positive);
        int levels = inLine.Basis.Levels.Count;
        for (int n = 0; n < levels; n++)
            for (int m = 0; m < levels; m++)
                Assert.Equal(inLine.Bohr.Id(n, m), aside.Bohr.Id(n, m));
        for (int b = 0; b < model.Baths.Count; b++)
            foreach (int id in inLine.Bohr.AllIds())
                Assert.Equal(inLine.Jumps.Rate(b, id), aside.Jumps.Rate(b, id));
        Assert.Equal(Davies.Solvers.SteadyState.Solve(inLine).Residual, Davies.Solvers.SteadyState.Solve(aside).Residual);
    }

    [Fact]
    public void Aside_Join_RethrowsTheComputationsException()
    {
        var aside = Aside<int>.Start(true, () => throw new ModelException("bohr: failed"));
        Assert.NotNull(aside);
        var e = Assert.Throws<ModelException>(() => aside!.Join());
        Assert.Equal("bohr: failed", e.Message);
        Assert.Equal(42, Aside<int>.Start(true, () => 42)!.Join());
        Assert.Null(Aside<int>.Start(false, () => 42));
        using (Parallelism.SingleThreadedScope()) Assert.Null(Aside<int>.Start(true, () => 42));
    }
}

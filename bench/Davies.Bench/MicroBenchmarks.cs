using BenchmarkDotNet.Attributes;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the steady state for small chains (n = 6…8, σz coupling, Lamb shift on):
/// `dotnet run -c Release --project bench/Davies.Bench -- micro` (extra arguments go to BenchmarkDotNet, e.g.
/// `--job short`).
/// </summary>
[MemoryDiagnoser]
public class SteadyStateBenchmarks
{
    private OpenSystemModel _model = null!;
    private EnergyBasisModel _decomposed = null!;

    /// <summary>Chain length.</summary>
    [Params(6, 7, 8)]
    public int N { get; set; }

    /// <summary>Builds the model and its decomposition once per parameter value.</summary>
    [GlobalSetup]
    public void Setup()
    {
        LinearAlgebraProvider.UseBestAvailable();
        _model = IsingChain.Build(N, 'z', lambShift: true, out _);
        _decomposed = EnergyBasisModel.Build(_model);
    }

    /// <summary>Eigendecomposition, couplings and rates.</summary>
    [Benchmark]
    public EnergyBasisModel Build() => EnergyBasisModel.Build(_model);

    /// <summary>The steady state of the already decomposed model.</summary>
    [Benchmark]
    public SteadyStateResult Steady() => SteadyState.Solve(_decomposed);

    /// <summary>Both, as `davies steady` does.</summary>
    [Benchmark]
    public SteadyStateResult BuildAndSteady() => SteadyState.Solve(_model);
}

using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>
/// The settings shared by all solvers (<see cref="SolverOptions"/>): the backend the solvers use is the options' or the
/// model's, and the time evolution reports its stages and honours cancellation like the steady state and the spectrum.
/// </summary>
public class SolverOptionsTests
{
    /// <summary>The managed backend, counting the calls made through it.</summary>
    private sealed class CountingBackend : ILinearAlgebraBackend
    {
        private static readonly ManagedBackend M = ManagedBackend.Instance;
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        private T Count<T>(T value)
        {
            Interlocked.Increment(ref _calls);
            return value;
        }
        public string Name => "counting";
        public HermitianEigen EigenHermitian(Matrix<Complex> a) => Count(M.EigenHermitian(a));
        public SymmetricEigen EigenSymmetric(Matrix<double> a) => Count(M.EigenSymmetric(a));
        public double[] EigenvaluesSymmetric(Matrix<double> a) => Count(M.EigenvaluesSymmetric(a));
        public bool IsPositiveDefinite(Matrix<Complex> a) => Count(M.IsPositiveDefinite(a));
        public Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b) => Count(M.Multiply(a, b));
        public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b) => Count(M.Multiply(a, b));
        public Matrix<double> TransposeMultiply(Matrix<double> a, Matrix<double> b) => Count(M.TransposeMultiply(a, b));
        public Matrix<double> Gram(Matrix<double> a) => Count(M.Gram(a));
        public Matrix<Complex> Gram(Matrix<Complex> a) => Count(M.Gram(a));
        public Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b) => Count(M.AdjointMultiply(a, b));
        public Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b) => Count(M.Solve(a, b));
        public Vector<double> Solve(Matrix<double> a, Vector<double> b) => Count(M.Solve(a, b));
        public (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a) => Count(M.Svd(a));
        public (double[] S, Matrix<double> U, Matrix<double> VT) Svd(Matrix<double> a) => Count(M.Svd(a));
        public GeneralEigen EigenGeneral(Matrix<Complex> a) => Count(M.EigenGeneral(a));
        public Complex[] EigenvaluesGeneral(Matrix<Complex> a) => Count(M.EigenvaluesGeneral(a));
        public GeneralEigen EigenGeneral(Matrix<double> a) => Count(M.EigenGeneral(a));
    }

    private sealed class Recorder : IProgress<string>
    {
        public List<string> Messages { get; } = [];
        public void Report(string value) => Messages.Add(value);
    }

    [Fact]
    public void Solvers_UseTheModelsBackend_OrTheOptionsOne()
    {
        var model = TestModels.Random(5, TestModels.NonDegenerate, [0.8], couplingsPerBath: 2);
        var built = new CountingBackend();
        var dm = EnergyBasisModel.Build(model, built);
        Assert.Same(built, dm.Backend);
        int afterBuild = built.Calls;

        // two temperatures: the steady state needs a linear solve (with one, the Gibbs weights pass their residual test
        // and no backend call is made)
        var twoTemperatures = EnergyBasisModel.Build(TestModels.Random(5, TestModels.NonDegenerate, [0.8, 0.3], couplingsPerBath: 2), built);
        afterBuild = built.Calls;
        SteadyState.Solve(twoTemperatures);
        int afterSteady = built.Calls;
        Assert.True(afterSteady > afterBuild, "the steady state did not use the model's backend");
        Spectrum.Compute(dm);
        int afterSpectrum = built.Calls;
        Assert.True(afterSpectrum > afterSteady, "the spectrum did not use the model's backend");
        Evolution.Run(dm, Matrix<Complex>.Build.DenseIdentity(dm.Dimension) / dm.Dimension, [0.5]);
        Assert.True(built.Calls > afterSpectrum, "the evolution did not use the model's backend");

        // A backend named in the options is used instead of the model's.
        var named = new CountingBackend();
        int before = built.Calls;
        SteadyState.Solve(twoTemperatures, new SteadyStateOptions(named));
        Spectrum.Compute(dm, new SpectrumOptions { Backend = named });
        Evolution.Run(dm, Matrix<Complex>.Build.DenseIdentity(dm.Dimension) / dm.Dimension, [0.5], null, new EvolutionOptions { Backend = named });
        Assert.Equal(before, built.Calls);
        Assert.True(named.Calls > 0);

        // The front doors that take an OpenSystemModel build the model with the options' backend.
        Assert.Same(named, SteadyState.Solve(model, new SteadyStateOptions { Backend = named }).Decomposed.Backend);
        Assert.Same(named, Spectrum.Compute(model, new SpectrumOptions { Backend = named }).Decomposed.Backend);
        Assert.Same(named, Propagator.Create(model, new EvolutionOptions { Backend = named }).Model.Backend);
    }

    [Fact]
    public void Evolution_ReportsItsStages_AndTheTimePercentage()
    {
        var model = TestModels.Random(6, TestModels.NonDegenerate, [0.8]);
        var recorder = new Recorder();
        var run = Evolution.Run(model, Matrix<Complex>.Build.DenseIdentity(model.Dimension) / model.Dimension, [0, 0.5, 1, 2],
            null, new EvolutionOptions { Progress = recorder });
        Assert.Equal(4, run.Times.Count);
        Assert.Equal("diagonalising H (d = 5)", recorder.Messages[0]);
        Assert.Contains("Bohr sectors", recorder.Messages);
        Assert.Contains("propagators 100 %", recorder.Messages);
        Assert.Contains("the initial state on the blocks", recorder.Messages);
        // the maximally mixed state reaches the population blocks alone: their share done, in per cent
        var blocks = recorder.Messages.SkipWhile(m => !m.StartsWith("blocks")).ToList();
        Assert.StartsWith("blocks 0 % (", blocks[0]);
        Assert.Equal("blocks 100 %", blocks[^1]);
        // with the thermodynamic account the state is formed at every time: the share of the times done
        recorder.Messages.Clear();
        _ = Evolution.Run(model, Matrix<Complex>.Build.DenseIdentity(model.Dimension) / model.Dimension, [0, 0.5, 1, 2],
            null, new EvolutionOptions { Progress = recorder, Thermodynamics = true });
        Assert.Equal(["times 0 %", "times 25 %", "times 50 %", "times 75 %", "times 100 %"], recorder.Messages.SkipWhile(m => !m.StartsWith("times")));
    }

    [Fact]
    public void Evolution_Cancelled_Throws()
    {
        var dm = EnergyBasisModel.Build(TestModels.Random(7, TestModels.NonDegenerate, [0.8]));
        var rho0 = Matrix<Complex>.Build.DenseIdentity(dm.Dimension) / dm.Dimension;
        using var pre = new CancellationTokenSource();
        pre.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Evolution.Run(dm, rho0, [1.0], null, new EvolutionOptions { Cancellation = pre.Token }));
        using var cts = new CancellationTokenSource();
        var progress = new CancelAt(cts, "blocks 0 %");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Evolution.Run(dm, rho0, [0, 1, 2, 3], null, new EvolutionOptions { Progress = progress, Cancellation = cts.Token }));
        Assert.StartsWith("blocks 0 %", progress.Last);
    }

    private sealed class CancelAt(CancellationTokenSource cts, string message) : IProgress<string>
    {
        public string? Last { get; private set; }
        public void Report(string value)
        {
            Last = value;
            if (value.StartsWith(message, StringComparison.Ordinal)) cts.Cancel();
        }
    }
}

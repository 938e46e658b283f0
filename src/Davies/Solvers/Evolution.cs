using Davies.Models;
using Davies.Operators;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Exact time evolution ρ(t) = e^{Lt}ρ₀ of the Davies (or Bloch–Redfield) master equation at given times, with
/// expectation values and level populations; see <see cref="Propagator"/> for the algorithm.
/// </summary>
public static class Evolution
{
    /// <summary>Evolves <paramref name="rho0"/> (site basis) to every time in <paramref name="times"/> (each ≥ 0, any order).</summary>
    public static EvolutionResult Run(OpenSystemModel model, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null, EvolutionOptions? options = null) =>
        Run(Propagator.Create(model, options), rho0, times, observables, options?.Stages ?? default, options?.Thermodynamics ?? false, options?.KrylovMinimum ?? KrylovTrajectory.DefaultMinimum);

    /// <summary>As above for an already decomposed model.</summary>
    public static EvolutionResult Run(EnergyBasisModel model, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null, EvolutionOptions? options = null) =>
        NumericalGuard.Run(model.OpenSystem, "time evolution",
            () => Run(Propagator.Create(model, options), rho0, times, observables, options?.Stages ?? default, options?.Thermodynamics ?? false, options?.KrylovMinimum ?? KrylovTrajectory.DefaultMinimum));

    /// <summary>As above with a prepared propagator (reuse it for several initial states).</summary>
    public static EvolutionResult Run(Propagator propagator, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null) =>
        Run(propagator, rho0, times, observables, default, false, KrylovTrajectory.DefaultMinimum);

    private static EvolutionResult Run(Propagator propagator, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables, Stages run, bool thermodynamics, int krylovMinimum)
    {
        var dm = propagator.Model;
        InitialStates.Validate(rho0, dm.Dimension);
        foreach (var t in times) InitialStates.CheckTime(t);
        var obs = observables ?? [];
        var names = new HashSet<string>();
        foreach (var o in obs)
        {
            if (!names.Add(o.Name)) throw new ModelException($"observable '{o.Name}' is given twice");
            if (o.Operator.RowCount != dm.Dimension || o.Operator.ColumnCount != dm.Dimension)
                throw new ModelException($"observable '{o.Name}': has dimension {o.Operator.RowCount}×{o.Operator.ColumnCount}, but the Hilbert space has dimension {dm.Dimension}");
        }
        run.Start("the initial state on the blocks");
        var prepared = propagator.Prepare(EigenbasisOperators.State(dm, rho0, propagator.Backend), run.Cancellation);
        run.Start("the observables in the eigenbasis");
        var opsEigen = thermodynamics ? obs.Select(o => dm.Basis.ToEigenbasis(o.Operator, propagator.Backend)).ToArray() : [];
        int d = dm.Dimension, nt = times.Count;
        var expectations = obs.Select(_ => new double[nt]).ToArray();
        var complexExpectations = obs.Select(_ => new Complex[nt]).ToArray();
        var populations = new double[nt][];
        var levelPopulations = new double[nt][];
        var account = thermodynamics ? new Thermodynamics.HeatAndEntropy.Account(propagator, prepared, times) : null;
        if (account is null)
        {
            // expectations and populations block by block, without forming ρ(t) (BlockTrajectories)
            var ops = obs.Select(o => EigenbasisOperators.Operator(dm, o.Operator, propagator.Backend)).ToArray();
            var (values, pops) = BlockTrajectories.Compute(propagator, prepared, times, ops, krylovMinimum, run);
            for (int k = 0; k < ops.Length; k++)
                for (int i = 0; i < nt; i++)
                {
                    complexExpectations[k][i] = values[k][i];
                    expectations[k][i] = values[k][i].Real;
                }
            for (int i = 0; i < nt; i++) Populate(i, pops[i]);
        }
        else
        {
            if (nt > 0) run.Start("times 0 %");
            var done = run.Counter("times", nt);
            for (int i = 0; i < nt; i++)
            {
                run.ThrowIfCancelled();
                var (rho, dot) = propagator.StateAndDerivativeEigenbasis(prepared, times[i]);
                account.Add(i, rho, dot);
                for (int k = 0; k < opsEigen.Length; k++)
                {
                    var z = Thermal.ComplexExpectation(rho, opsEigen[k]);
                    complexExpectations[k][i] = z;
                    expectations[k][i] = z.Real;
                }
                var p = new double[d];
                for (int m = 0; m < d; m++) p[m] = rho[m, m].Real;
                Populate(i, p);
                done.Step();
            }
        }

        void Populate(int i, double[] p)
        {
            populations[i] = p;
            var lp = new double[dm.Basis.Levels.Count];
            for (int m = 0; m < d; m++) lp[dm.Basis.LevelOf(m)] += p[m];
            levelPopulations[i] = lp;
        }
        var dict = new Dictionary<string, double[]>();
        var complexDict = new Dictionary<string, Complex[]>();
        for (int k = 0; k < obs.Count; k++)
        {
            dict[obs[k].Name] = expectations[k];
            complexDict[obs[k].Name] = complexExpectations[k];
        }
        return new EvolutionResult(propagator, prepared, times.ToArray(), obs.Select(o => o.Name).ToArray(), dict,
            populations, levelPopulations) { ComplexExpectations = complexDict, Thermodynamics = account?.Result() };
    }

    /// <summary>
    /// The time after which the trace distance ½‖ρ(t) − ρ∞‖₁ to the t → ∞ limit (the steady state when unique)
    /// stays below <paramref name="eps"/>, from <paramref name="rho0"/> (site basis). See
    /// <see cref="EvolutionResult.ConvergenceTime"/> for the method.
    /// </summary>
    public static double ConvergenceTime(OpenSystemModel model, Matrix<Complex> rho0, double eps, EvolutionOptions? options = null) =>
        Run(model, rho0, [], null, options).ConvergenceTime(eps);

    /// <summary>As above for an already decomposed model.</summary>
    public static double ConvergenceTime(EnergyBasisModel model, Matrix<Complex> rho0, double eps, EvolutionOptions? options = null) =>
        Run(model, rho0, [], null, options).ConvergenceTime(eps);

    /// <summary>As above with a prepared propagator.</summary>
    public static double ConvergenceTime(Propagator propagator, Matrix<Complex> rho0, double eps) =>
        Run(propagator, rho0, [], null).ConvergenceTime(eps);
}

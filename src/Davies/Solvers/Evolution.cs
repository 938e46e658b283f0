using Davies.Models;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>An operator with a name (an observable to follow in time).</summary>
/// <param name="Name">Name used as key of the results.</param>
/// <param name="Operator">
/// The operator in the model's site basis (<see cref="EvolutionResult.Expectations"/> holds Re Tr[ρ O],
/// <see cref="EvolutionResult.ComplexExpectations"/> Tr[ρ O]; it need not be Hermitian).
/// </param>
public sealed record NamedOperator(string Name, Matrix<Complex> Operator)
{
    /// <summary>
    /// Whether <see cref="Operator"/> is Hermitian to a tolerance relative to its largest entry (1e-10, the model
    /// file's test): then Tr[ρ O] is real, otherwise its imaginary part carries information.
    /// </summary>
    public bool IsHermitian => OpenSystemModel.IsHermitian(Operator);
}

/// <summary>
/// Exact time evolution ρ(t) = e^{Lt}ρ₀ of the Davies (or Bloch–Redfield) master equation at given times, with
/// expectation values and level populations; see <see cref="Propagator"/> for the algorithm.
/// </summary>
public static class Evolution
{
    /// <summary>Evolves <paramref name="rho0"/> (site basis) to every time in <paramref name="times"/> (each ≥ 0, any order).</summary>
    public static EvolutionResult Run(OpenSystemModel model, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null, EvolutionOptions? options = null) =>
        Run(Propagator.Create(model, options), rho0, times, observables);

    /// <summary>As above for an already decomposed model.</summary>
    public static EvolutionResult Run(EnergyBasisModel model, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null, EvolutionOptions? options = null) =>
        NumericalGuard.Run(model.OpenSystem, "time evolution", () => Run(Propagator.Create(model, options), rho0, times, observables));

    /// <summary>As above with a prepared propagator (reuse it for several initial states).</summary>
    public static EvolutionResult Run(Propagator propagator, Matrix<Complex> rho0, IReadOnlyList<double> times,
        IReadOnlyList<NamedOperator>? observables = null)
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
        var prepared = propagator.Prepare(dm.Basis.ToEigenbasis(rho0));
        var opsEigen = obs.Select(o => dm.Basis.ToEigenbasis(o.Operator)).ToArray();
        int d = dm.Dimension, nt = times.Count;
        var expectations = obs.Select(_ => new double[nt]).ToArray();
        var complexExpectations = obs.Select(_ => new Complex[nt]).ToArray();
        var populations = new double[nt][];
        var levelPopulations = new double[nt][];
        var traces = new double[nt];
        for (int i = 0; i < nt; i++)
        {
            var rho = propagator.StateEigenbasis(prepared, times[i]);
            for (int k = 0; k < opsEigen.Length; k++)
            {
                var z = Thermal.ComplexExpectation(rho, opsEigen[k]);
                complexExpectations[k][i] = z;
                expectations[k][i] = z.Real;
            }
            var p = new double[d];
            for (int m = 0; m < d; m++) p[m] = rho[m, m].Real;
            populations[i] = p;
            var lp = new double[dm.Basis.Levels.Count];
            for (int m = 0; m < d; m++) lp[dm.Basis.LevelOf(m)] += p[m];
            levelPopulations[i] = lp;
            traces[i] = p.Sum();
        }
        var dict = new Dictionary<string, double[]>();
        var complexDict = new Dictionary<string, Complex[]>();
        for (int k = 0; k < obs.Count; k++)
        {
            dict[obs[k].Name] = expectations[k];
            complexDict[obs[k].Name] = complexExpectations[k];
        }
        return new EvolutionResult(propagator, prepared, times.ToArray(), obs.Select(o => o.Name).ToArray(), dict,
            populations, levelPopulations) { ComplexExpectations = complexDict };
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

/// <summary>The result of <see cref="Evolution.Run(Propagator, Matrix{Complex}, IReadOnlyList{double}, IReadOnlyList{NamedOperator}?)"/>.</summary>
public sealed class EvolutionResult
{
    private readonly Propagator.Prepared _prepared;
    private Matrix<Complex>? _limit;

    internal EvolutionResult(Propagator propagator, Propagator.Prepared prepared, double[] times, string[] names,
        IReadOnlyDictionary<string, double[]> expectations, double[][] populations, double[][] levelPopulations)
    {
        Propagator = propagator;
        _prepared = prepared;
        Times = times;
        ObservableNames = names;
        Expectations = expectations;
        Populations = populations;
        LevelPopulations = levelPopulations;
    }

    /// <summary>The propagator used.</summary>
    public Propagator Propagator { get; }

    /// <summary>The model in its eigenbasis.</summary>
    public EnergyBasisModel Decomposed => Propagator.Model;

    /// <summary>Eigenvalues of H_S, ascending (the order of <see cref="Populations"/>).</summary>
    public double[] Energies => Decomposed.Basis.Energies;

    /// <summary>The times, as given.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>Names of the observables, in the order given.</summary>
    public IReadOnlyList<string> ObservableNames { get; }

    /// <summary>Re Tr[ρ(t) O] per observable name, one value per time.</summary>
    public IReadOnlyDictionary<string, double[]> Expectations { get; }

    /// <summary>
    /// Tr[ρ(t) O] per observable name, one complex value per time: for a non-Hermitian O (σ⁺, or X0 Y0 = iZ0) the
    /// imaginary part is meaningful; the real parts are <see cref="Expectations"/>.
    /// </summary>
    public IReadOnlyDictionary<string, Complex[]> ComplexExpectations { get; internal init; } = new Dictionary<string, Complex[]>();

    /// <summary>
    /// Populations ⟨k|ρ(t)|k⟩ of the eigenvectors of H_S in the order of <see cref="Energies"/>: [time index][k].
    /// Inside a degenerate level they depend on the eigensolver's basis choice; <see cref="LevelPopulations"/> does not.
    /// </summary>
    public IReadOnlyList<double[]> Populations { get; }

    /// <summary>Tr[Π_I ρ(t)] per degenerate level I (ascending energy): [time index][level].</summary>
    public IReadOnlyList<double[]> LevelPopulations { get; }

    /// <summary>"sectors" or "redfield-dense".</summary>
    public string Method => Propagator.Method;

    /// <summary>ρ(t) at <see cref="Times"/>[<paramref name="timeIndex"/>] in the site basis.</summary>
    public Matrix<Complex> DensityMatrix(int timeIndex) => StateAt(Times[timeIndex]);

    /// <summary>ρ(t) at <see cref="Times"/>[<paramref name="timeIndex"/>] in the energy eigenbasis.</summary>
    public Matrix<Complex> DensityMatrixEigenbasis(int timeIndex) => Propagator.StateEigenbasis(_prepared, Times[timeIndex]);

    /// <summary>ρ(t) in the site basis at any t ≥ 0.</summary>
    public Matrix<Complex> StateAt(double t)
    {
        InitialStates.CheckTime(t);
        return Decomposed.Basis.FromEigenbasis(Propagator.StateEigenbasis(_prepared, t));
    }

    /// <summary>The t → ∞ limit ρ∞ in the site basis (the steady state when it is unique).</summary>
    public Matrix<Complex> Limit => Decomposed.Basis.FromEigenbasis(LimitEigenbasis);

    private Matrix<Complex> LimitEigenbasis => _limit ??= Propagator.LimitEigenbasis(_prepared);

    /// <summary>½‖ρ(t) − ρ∞‖₁.</summary>
    public double TraceDistanceToLimit(double t)
    {
        InitialStates.CheckTime(t);
        return Thermal.TraceDistance(Propagator.DeviationEigenbasis(_prepared, t), Matrix<Complex>.Build.Dense(Decomposed.Dimension, Decomposed.Dimension));
    }

    /// <summary>
    /// The smallest t* with ½‖ρ(t) − ρ∞‖₁ &lt; ε for all t ≥ t*. The distance is a combination of decaying
    /// exponentials Σ_j c_j v_j e^{λ_j t}; the bound ½√d Σ_j |c_j| e^{−g t} (g the slowest decay rate present) gives a
    /// time t_max beyond which it is certainly below ε; below t_max the exact distance is sampled on a geometric grid
    /// (refined to a quarter of the fastest oscillation period) downwards from t_max to the first sample at or above
    /// ε, and the crossing is bisected to 1e-10 relative. 0 if the distance is below ε throughout; +∞ if an
    /// undamped oscillation is present.
    /// </summary>
    public double ConvergenceTime(double eps) => Propagator.ConvergenceTime(_prepared, eps);
}

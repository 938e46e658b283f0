using Davies.Operators;
using Davies.Spectral;

namespace Davies.Solvers;

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

    /// <summary>The initial state on the propagator's blocks (coordinates and mode coefficients).</summary>
    internal Propagator.Prepared Prepared => _prepared;

    /// <summary>The thermodynamic account, when <see cref="EvolutionOptions.Thermodynamics"/> asked for it (else null; see <see cref="Thermodynamics.HeatAndEntropy.Along"/>).</summary>
    public Thermodynamics.ThermodynamicTrajectory? Thermodynamics { get; internal init; }

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

    /// <summary>How the propagator was formed (<see cref="Propagator.Method"/>).</summary>
    public PropagationMethod Method => Propagator.Method;

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
        return Thermal.TraceDistance(Propagator.DeviationEigenbasis(_prepared, t), Matrix<Complex>.Build.Dense(Decomposed.Dimension, Decomposed.Dimension),
            Propagator.Backend);
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

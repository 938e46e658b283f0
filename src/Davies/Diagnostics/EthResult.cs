using Davies.Solvers;

namespace Davies.Diagnostics;

/// <summary>
/// Options of <see cref="Eth.Analyze(Models.OpenSystemModel, IReadOnlyList{NamedOperator}, EthOptions?)"/>: the backend,
/// progress and cancellation of <see cref="SolverOptions"/>, the initial state, and the two windows of the statistics.
/// </summary>
public sealed record EthOptions : SolverOptions
{
    /// <summary>
    /// An initial state in any form of <see cref="Operators.InitialStates.Parse"/> (<c>ground</c>, <c>gibbs</c>,
    /// <c>maximally-mixed</c>, a product label such as <c>0101</c>, <c>level:K</c>, a JSON file). When set, the result has
    /// <see cref="EthResult.Initial"/> and each observable its diagonal-ensemble, Gibbs and Davies values. A product label
    /// shorter than the number of sites whose length divides it is repeated (<c>01</c> is the Néel state 0101… at every
    /// even size), so that one label serves a chain at several sizes. Null: none.
    /// </summary>
    public string? InitialState { get; init; }

    /// <summary>
    /// Half-width δ of the microcanonical window, relative to the spectral width E_max − E_min:
    /// the microcanonical average at E averages the eigenstate values of every eigenstate with |E_m − E| ≤ δ.
    /// Default <see cref="Eth.DefaultMicrocanonicalHalfWidth"/> (0.025, a window of 5 % of the spectrum); 0 &lt; δ ≤ 1.
    /// </summary>
    public double MicrocanonicalHalfWidth { get; init; } = Eth.DefaultMicrocanonicalHalfWidth;

    /// <summary>Number of equal ω bins of the off-diagonal statistics; default <see cref="Eth.DefaultOffDiagonalBins"/> (40), 1 to 10000.</summary>
    public int OffDiagonalBins { get; init; } = Eth.DefaultOffDiagonalBins;
}

/// <summary>Where the energy Tr[ρ₀ H_S] of an initial state puts its effective temperature.</summary>
public enum EffectiveTemperatureRegime
{
    /// <summary>0 &lt; T &lt; ∞: the energy lies between E_min and the infinite-temperature energy Tr H_S / d.</summary>
    Positive,

    /// <summary>T &lt; 0 (β &lt; 0): the energy lies above Tr H_S / d, as for a population inversion.</summary>
    Negative,

    /// <summary>T = ±∞ (β = 0): the energy equals Tr H_S / d (to 1e-13 of the spectral width), or H_S has one level.</summary>
    Infinite,

    /// <summary>T = +0 (β = +∞): the energy is that of the ground level (within the degeneracy tolerance).</summary>
    Ground,

    /// <summary>T = −0 (β = −∞): the energy is that of the top level (within the degeneracy tolerance).</summary>
    Top,
}

/// <summary>The binned off-diagonal matrix elements of an observable in the middle of the spectrum.</summary>
/// <param name="Omega">Bin centres ω (equal bins from 0 to the energy width of the middle window).</param>
/// <param name="MeanSquare">Mean of |⟨E_m|O|E_n⟩|² over the pairs m &lt; n of the middle window, in different levels, with E_n − E_m in the bin (NaN when the bin is empty).</param>
/// <param name="Count">Number of pairs in each bin.</param>
public sealed record EthOffDiagonal(double[] Omega, double[] MeanSquare, long[] Count);

/// <summary>The ETH statistics of one observable O on one model.</summary>
/// <param name="Name">The observable's name.</param>
/// <param name="EigenstateValues">
/// ⟨E_n|O|E_n⟩ for every eigenstate, in the order of <see cref="EthResult.Energies"/>; inside a degenerate level the
/// level average Tr[Π_I O]/d_I (the same for every eigenstate of the level, and independent of the basis chosen in it).
/// </param>
/// <param name="Microcanonical">The microcanonical average at each eigenstate's energy: the mean of the eigenstate values with |E_m − E_n| ≤ δ (<see cref="EthResult.MicrocanonicalHalfWidth"/>).</param>
/// <param name="Fluctuation">Mean |O_{I+1} − O_I| over consecutive levels I, I+1 of the middle window (NaN with fewer than two levels there).</param>
/// <param name="Deviation">Root mean square of O_nn − (microcanonical average) over the eigenstates of the middle window.</param>
/// <param name="OffDiagonal">Mean |O_mn|² in bins of ω over the middle window.</param>
/// <param name="InitialValue">With an initial state: Tr[ρ₀ O] at t = 0.</param>
/// <param name="DiagonalEnsemble">With an initial state: Σ_I Tr[Π_I ρ₀ Π_I O], the infinite-time average of the isolated (unitary) evolution.</param>
/// <param name="Gibbs">With an initial state: Tr[ρ_β O] at the effective β (<see cref="EthInitialState.EffectiveBeta"/>).</param>
/// <param name="Davies">With an initial state: Tr[ρ_ss O] in the Davies steady state (the baths' temperatures).</param>
public sealed record EthObservable(string Name, double[] EigenstateValues, double[] Microcanonical, double Fluctuation,
    double Deviation, EthOffDiagonal OffDiagonal, double? InitialValue, double? DiagonalEnsemble, double? Gibbs, double? Davies);

/// <summary>The energy of an initial state and its effective temperature.</summary>
/// <param name="Energy">E₀ = Tr[ρ₀ H_S].</param>
/// <param name="EnergySpread">√(Tr[ρ₀ H_S²] − E₀²), the width of the state's energy distribution.</param>
/// <param name="EffectiveBeta">The β with Tr[ρ_β H_S] = E₀ (±∞ at the ground or top level, 0 at infinite temperature).</param>
/// <param name="EffectiveTemperature">1/β: negative above the infinite-temperature energy, ±∞ at β = 0, 0 at β = ±∞.</param>
/// <param name="Regime">Which of these cases holds.</param>
/// <param name="DaviesUnique">Whether the Davies steady state is unique (if not, the limit from the maximally mixed state is used).</param>
/// <param name="BathTemperatures">The temperature of each bath, by name.</param>
public sealed record EthInitialState(double Energy, double EnergySpread, double EffectiveBeta, double EffectiveTemperature,
    EffectiveTemperatureRegime Regime, bool DaviesUnique, IReadOnlyDictionary<string, double> BathTemperatures);

/// <summary>The canonical (Gibbs) curve of every observable: Tr[ρ_β O] against E(β) = Tr[ρ_β H_S].</summary>
/// <param name="Beta">The inverse temperatures (±∞ at the two ends).</param>
/// <param name="Energy">E(β), equally spaced from E_min to E_max.</param>
/// <param name="Values">Tr[ρ_β O] for each observable, by name.</param>
public sealed record EthCanonicalCurve(double[] Beta, double[] Energy, IReadOnlyDictionary<string, double[]> Values);

/// <summary>The eigenstate thermalization statistics of one model (<see cref="Eth.Analyze(Models.OpenSystemModel, IReadOnlyList{NamedOperator}, EthOptions?)"/>).</summary>
/// <param name="Source">The model's source (file name), if any.</param>
/// <param name="Sites">Number of sites n (energies per site are E/n).</param>
/// <param name="Dimension">Hilbert-space dimension d.</param>
/// <param name="Energies">Eigenvalues of H_S, ascending.</param>
/// <param name="Tolerance">The degeneracy tolerance that grouped them into levels.</param>
/// <param name="MiddleStart">First eigenstate of the middle window (the central half of the eigenstates, widened to whole levels).</param>
/// <param name="MiddleEnd">One past the last eigenstate of the middle window.</param>
/// <param name="MicrocanonicalHalfWidth">The microcanonical half-width δ in energy units.</param>
/// <param name="LevelSpacingRatio">Mean r = min(s_k, s_{k+1})/max(s_k, s_{k+1}) of consecutive level spacings in the middle window (Poisson ≈ 0.386, GOE ≈ 0.531; NaN with fewer than three levels).</param>
/// <param name="Observables">The statistics of each observable, in the order given.</param>
/// <param name="Initial">The initial state's energy and effective temperature, when one was given.</param>
public sealed record EthResult(string? Source, int Sites, int Dimension, double[] Energies, double Tolerance, int MiddleStart,
    int MiddleEnd, double MicrocanonicalHalfWidth, double LevelSpacingRatio, IReadOnlyList<EthObservable> Observables,
    EthInitialState? Initial)
{
    /// <summary>
    /// The Gibbs curve at <paramref name="points"/> energies equally spaced from E_min to E_max (each β solved as for the
    /// effective temperature), with Tr[ρ_β O] = Σ_I p_I(β) O_I from the level values of each observable.
    /// </summary>
    /// <param name="points">Number of points, 2 to 100000.</param>
    public EthCanonicalCurve CanonicalCurve(int points = 101)
    {
        if (points < 2 || points > 100_000) throw new ArgumentOutOfRangeException(nameof(points), "2 to 100000 points");
        var canonical = new CanonicalEnsemble(Energies, Tolerance);
        var betas = new double[points];
        var energies = new double[points];
        for (int k = 0; k < points; k++)
        {
            double e = canonical.Min + (canonical.Max - canonical.Min) * k / (points - 1);
            betas[k] = k == 0 ? double.PositiveInfinity : k == points - 1 ? double.NegativeInfinity : canonical.SolveBeta(e).Beta;
            energies[k] = canonical.Energy(betas[k]);
        }
        var values = new Dictionary<string, double[]>();
        foreach (var o in Observables)
        {
            var levelValues = canonical.LevelStarts.Select(s => o.EigenstateValues[s]).ToArray();
            values[o.Name] = betas.Select(b => canonical.Average(b, levelValues)).ToArray();
        }
        return new EthCanonicalCurve(betas, energies, values);
    }
}

/// <summary>
/// How the eigenstate-to-eigenstate fluctuation of one observable scales with the system size over several models
/// (<see cref="Eth.Scaling"/>), sorted by dimension.
/// </summary>
/// <param name="Observable">The observable's name.</param>
/// <param name="Sites">Number of sites of each model.</param>
/// <param name="Dimensions">Dimension d of each model.</param>
/// <param name="Fluctuations">The fluctuation of each model.</param>
/// <param name="Exponent">α of the least-squares fit ln F = c − α ln d (ETH: α ≈ ½, F ∝ d^{−1/2}; an integrable chain: α well below); NaN with fewer than two sizes.</param>
/// <param name="Ratio">F of the largest model over F of the smallest.</param>
public sealed record EthScaling(string Observable, int[] Sites, int[] Dimensions, double[] Fluctuations, double Exponent, double Ratio);

using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The eigenstate thermalization hypothesis (ETH) as a contrast to Davies thermalization: how an isolated system
/// thermalizes under its own unitary dynamics, without a bath. From the eigenbasis of H_S it computes, for Hermitian
/// observables O, the eigenstate expectation values ⟨E_n|O|E_n⟩, their microcanonical average and their
/// eigenstate-to-eigenstate fluctuation, the off-diagonal |O_mn|² against ω = E_m − E_n, and, for an initial state ρ₀,
/// the diagonal-ensemble value (the infinite-time average of the unitary evolution), the Gibbs value at the
/// temperature whose energy is Tr[ρ₀ H_S], and the Davies steady-state value at the baths' temperatures.
/// Definitions, windows and thresholds: docs/eth.md.
/// </summary>
public static class Eth
{
    /// <summary>
    /// The largest dimension analysed: 16384 (14 qubits). ETH needs every eigenvector of H_S (a dense
    /// diagonalisation, O(d³) work and d² numbers); beyond this the eigendecomposition alone takes hours and tens of GiB.
    /// </summary>
    public const int MaxDimension = 16384;

    /// <summary>Default half-width of the microcanonical window relative to the spectral width: 0.025.</summary>
    public const double DefaultMicrocanonicalHalfWidth = 0.025;

    /// <summary>Default number of ω bins of the off-diagonal statistics: 40.</summary>
    public const int DefaultOffDiagonalBins = 40;

    /// <summary>
    /// Analyses a model: diagonalises H_S (with <see cref="SolverOptions.Backend"/>, or
    /// <see cref="LinearAlgebraProvider.Current"/>), and, with <see cref="EthOptions.InitialState"/>, builds the rest of the
    /// <see cref="EnergyBasisModel"/> on the same eigenbasis for the Davies steady state.
    /// </summary>
    /// <param name="model">The model (its baths are used only for the Davies value of an initial state).</param>
    /// <param name="observables">Hermitian observables in the model's site basis.</param>
    /// <param name="options">Options (null: defaults, no initial state).</param>
    /// <exception cref="ModelException">An observable of the wrong dimension, a non-Hermitian one, two with one name, bad options, a bad initial state.</exception>
    /// <exception cref="ResourceLimitException">d &gt; <see cref="MaxDimension"/>, or the memory estimate exceeds <see cref="MemoryBudget.Available"/>.</exception>
    public static EthResult Analyze(OpenSystemModel model, IReadOnlyList<NamedOperator> observables, EthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observables);
        options ??= new EthOptions();
        Validate(model, observables, options);
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        var run = options.Stages;
        run.Start($"diagonalising H (d = {model.Dimension})");
        var basis = NumericalGuard.Run(model, "eigenbasis of the Hamiltonian",
            () => EigenBasis.Compute(model.Hamiltonian, model.Options.Tolerance, backend), b => NumericalGuard.AllFinite(b.Energies));
        if (options.InitialState is not { } spec) return Core(model, basis, backend, observables, null, null, options);
        var decomposed = EnergyBasisModel.Build(model, basis, backend, options.Progress, options.Cancellation);
        return Core(model, basis, backend, observables, decomposed, ParseInitial(spec, decomposed), options);
    }

    /// <summary>
    /// Analyses an already decomposed model (its eigenbasis and backend, unless the options name another backend),
    /// with an optional initial state given as a density matrix in the site basis (or, when it is null, by
    /// <see cref="EthOptions.InitialState"/>).
    /// </summary>
    /// <param name="model">The decomposed model.</param>
    /// <param name="observables">Hermitian observables in the model's site basis.</param>
    /// <param name="initialState">ρ₀ in the site basis (a density matrix; see <see cref="InitialStates.Validate"/>), or null.</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <exception cref="ModelException">As for the other overload, and an initial state of the wrong dimension.</exception>
    public static EthResult Analyze(EnergyBasisModel model, IReadOnlyList<NamedOperator> observables,
        Matrix<Complex>? initialState = null, EthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observables);
        options ??= new EthOptions();
        Validate(model.OpenSystem, observables, options);
        var rho = initialState ?? (options.InitialState is { } spec ? ParseInitial(spec, model) : null);
        if (rho is not null && (rho.RowCount != model.Dimension || rho.ColumnCount != model.Dimension))
            throw new ModelException($"{Source(model.OpenSystem)}initial state: has dimension {rho.RowCount}×{rho.ColumnCount}, but the model has dimension {model.Dimension}");
        return Core(model.OpenSystem, model.Basis, options.BackendFor(model), observables, rho is null ? null : model, rho, options);
    }

    /// <summary>
    /// The scaling of each observable's fluctuation with the system size over several results (the same chain at
    /// several sizes): for every observable name present in all of them, the fluctuations sorted by dimension, the
    /// exponent α of the least-squares fit ln F = c − α ln d over the finite positive ones, and the ratio F(largest)/F(smallest).
    /// </summary>
    public static IReadOnlyList<EthScaling> Scaling(IReadOnlyList<EthResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sorted = results.OrderBy(r => r.Dimension).ToArray();
        if (sorted.Length == 0) return [];
        var names = sorted[0].Observables.Select(o => o.Name).Where(n => sorted.All(r => r.Observables.Any(o => o.Name == n)));
        var list = new List<EthScaling>();
        foreach (var name in names)
        {
            var f = sorted.Select(r => r.Observables.First(o => o.Name == name).Fluctuation).ToArray();
            var points = sorted.Zip(f).Where(p => double.IsFinite(p.Second) && p.Second > 0)
                .Select(p => (X: Math.Log(p.First.Dimension), Y: Math.Log(p.Second))).ToArray();
            double exponent = double.NaN;
            if (points.Select(p => p.X).Distinct().Count() >= 2)
            {
                double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
                double sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
                exponent = -sxy / sxx;
            }
            list.Add(new EthScaling(name, sorted.Select(r => r.Sites).ToArray(), sorted.Select(r => r.Dimension).ToArray(), f,
                exponent, sorted.Length >= 2 ? f[^1] / f[0] : double.NaN));
        }
        return list;
    }

    /// <summary>
    /// The memory of the analysis, estimated before the eigendecomposition: the eigenvectors, the matrix the
    /// eigensolver works on and its workspace (3 d² numbers), and for one observable at a time the middle window of V,
    /// of O·V and the window block V†OV, twice when O has imaginary entries while H_S is real (2 d² numbers).
    /// </summary>
    internal static double EstimateBytes(OpenSystemModel model)
    {
        double d2 = (double)model.Dimension * model.Dimension;
        return d2 * (EigenBasis.IsReal(model.Hamiltonian) ? 8 : 16) * 5;
    }

    /// <summary>
    /// A product label shorter than the number of sites whose length divides it is repeated to that length, so that one
    /// label serves a chain at several sizes (<c>01</c> is the Néel state 0101… of every even length); any other
    /// specification is returned unchanged.
    /// </summary>
    internal static string Tile(string spec, OpenSystemModel model)
    {
        string s = spec.Trim();
        int n = model.Space.SiteCount;
        if (n < 2 || s.Length == 0 || s.Length >= n || n % s.Length != 0 || !s.All(char.IsAsciiDigit) || File.Exists(s)) return spec;
        return string.Concat(Enumerable.Repeat(s, n / s.Length));
    }

    private static Matrix<Complex> ParseInitial(string spec, EnergyBasisModel model)
    {
        string tiled = Tile(spec, model.OpenSystem);
        try { return InitialStates.Parse(tiled, model); }
        catch (ModelException e) when (tiled != spec)
        {
            throw new ModelException(e.Message.Replace($"--initial '{tiled}'", $"--initial '{spec}' (repeated to {tiled})"), e);
        }
    }

    private static string Source(OpenSystemModel model) => model.SourceName is { } s ? s + ": " : "";

    /// <summary>
    /// Checks everything <see cref="Analyze(OpenSystemModel, IReadOnlyList{NamedOperator}, EthOptions?)"/> checks before
    /// its first computation (the dimension limit, the memory estimate, the observables and the options), so that a run
    /// over several models can refuse a bad one before analysing the others.
    /// </summary>
    /// <exception cref="ModelException">An observable of the wrong dimension, a non-Hermitian one, two with one name, bad options.</exception>
    /// <exception cref="ResourceLimitException">d &gt; <see cref="MaxDimension"/>, or the memory estimate exceeds <see cref="MemoryBudget.Available"/>.</exception>
    public static void Validate(OpenSystemModel model, IReadOnlyList<NamedOperator> observables, EthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observables);
        options ??= new EthOptions();
        string src = Source(model);
        int d = model.Dimension;
        if (d > MaxDimension)
            throw new ResourceLimitException(
                $"{src}eth needs every eigenvector of H_S (a dense diagonalisation, about {Bytes.Format(EstimateBytes(model))}); " +
                $"d = {d} exceeds its limit of {MaxDimension} (14 qubits)");
        if (!(options.MicrocanonicalHalfWidth > 0 && options.MicrocanonicalHalfWidth <= 1))
            throw new ModelException($"eth: the microcanonical half-width must be in (0, 1] of the spectral width, got {options.MicrocanonicalHalfWidth}");
        if (options.OffDiagonalBins is < 1 or > 10_000)
            throw new ModelException($"eth: the number of off-diagonal bins must be from 1 to 10000, got {options.OffDiagonalBins}");
        var seen = new HashSet<string>();
        foreach (var o in observables)
        {
            if (!seen.Add(o.Name)) throw new ModelException($"{src}observable '{o.Name}' is given twice");
            if (o.Operator.RowCount != d || o.Operator.ColumnCount != d)
                throw new ModelException($"{src}observable '{o.Name}' is {o.Operator.RowCount}×{o.Operator.ColumnCount}, but the model has dimension {d}");
            if (!o.IsHermitian)
                throw new ModelException($"{src}observable '{o.Name}' is not Hermitian: ETH compares expectation values of Hermitian observables; " +
                                         "give its Hermitian parts (O + O†)/2 and (O − O†)/2i instead");
        }
        if (options.InitialState is { } spec) PrecheckInitial(spec, model);
        MemoryBudget.Require(EstimateBytes(model), $"eth (d = {d}: all eigenvectors of H_S and the middle window of V†OV)");
    }

    /// <summary>
    /// The checks of <see cref="InitialStates.Parse"/> that need no eigenbasis (a product label's length and digits,
    /// level:K's range, an unknown word, a missing file), made before the diagonalisation so that a typo fails at once;
    /// the state itself is formed by InitialStates.Parse later.
    /// </summary>
    private static void PrecheckInitial(string spec, OpenSystemModel model)
    {
        string s = Tile(spec, model).Trim(), lower = s.ToLowerInvariant();
        string where = Source(model) + (s == spec.Trim() ? $"--initial '{spec}'" : $"--initial '{spec}' (repeated to {s})");
        var space = model.Space;
        if (lower is "ground" or "gibbs" or "maximally-mixed") return;
        if (lower.StartsWith("level:", StringComparison.Ordinal))
        {
            if (!int.TryParse(s[6..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) || k >= model.Dimension)
                throw new ModelException($"{where}: level:K needs an eigenstate index K from 0 (ground) to {model.Dimension - 1}");
            return;
        }
        if (s.Length > 0 && s.All(char.IsAsciiDigit))
        {
            if (space.SiteCount == 1) return; // a level number: InitialStates.Parse checks it
            if (s.Length != space.SiteCount)
                throw new ModelException($"{where}: a product-state label needs one digit per site ({space.SiteCount} sites), got {s.Length}");
            for (int k = 0; k < s.Length; k++)
                if (s[k] - '0' >= space.Dimensions[k])
                    throw new ModelException($"{where}: site {k} has dimension {space.Dimensions[k]}, so its digit must be below {space.Dimensions[k]}");
            return;
        }
        if (!File.Exists(s))
            throw new ModelException(s.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? $"{where}: file not found"
                : $"{where}: not a state; use ground, gibbs, maximally-mixed, a product label such as 0 or 101, level:K, or a JSON file {{\"matrix\": …}}");
    }

    private static EthResult Core(OpenSystemModel model, EigenBasis basis, ILinearAlgebraBackend backend,
        IReadOnlyList<NamedOperator> observables, EnergyBasisModel? decomposed, Matrix<Complex>? rho, EthOptions options)
    {
        var run = options.Stages;
        int d = basis.Dimension;
        var e = basis.Energies;
        var levels = basis.Levels;
        var (lo, hi) = MiddleWindow(basis);
        double width = e[^1] - e[0];
        double delta = Math.Max(options.MicrocanonicalHalfWidth * width, basis.Tolerance);
        var canonical = new CanonicalEnsemble(basis);

        EigenstateMatrixElements? rhoElements = null;
        EthInitialState? initial = null;
        double[]? initialValues = null;
        EigenstateMatrixElements? steadyBlocks = null;
        SteadyStateResult? redfield = null;
        if (rho is not null)
        {
            run.Start("the initial state in the eigenbasis");
            rhoElements = EigenstateMatrixElements.Compute(basis, rho, backend, fullBlocks: true, cancellation: options.Cancellation);
            initialValues = observables.Select(o => Expectation(rho, o.Operator)).ToArray();
            rho = null; // d² complex numbers: only its level blocks are needed from here on
            double p = 0, e1 = 0, e2 = 0;
            for (int l = 0; l < levels.Count; l++)
            {
                double w = rhoElements.Trace(l).Real;
                p += w;
                e1 += w * levels[l].Energy;
            }
            e1 /= p;
            for (int l = 0; l < levels.Count; l++)
            {
                double x = levels[l].Energy - e1;
                e2 += rhoElements.Trace(l).Real * x * x;
            }
            var (beta, regime) = canonical.SolveBeta(e1);
            run.Start("the Davies steady state");
            var steady = SteadyState.Solve(decomposed!, new SteadyStateOptions(backend) { Progress = options.Progress, Cancellation = options.Cancellation });
            initial = new EthInitialState(e1, Math.Sqrt(Math.Max(0, e2 / p)), beta, 1.0 / beta, regime, steady.Unique,
                model.Baths.ToDictionary(b => b.Name, b => b.Temperature));
            // A Davies steady state is block-diagonal over the levels: Tr[ρ_ss O] = Σ_I Tr[ρ_I O_I] from the level blocks
            // of O computed below anyway (SteadyStateResult.Expectation would form O·V again, per observable).
            // Bloch–Redfield's is not: then its own expectation values.
            if (steady.BlockDiagonal) steadyBlocks = EigenstateMatrixElements.FromEigenbasis(basis, steady.DensityMatrixEigenbasis);
            else redfield = steady;
            // the couplings, rate tables and generator of the decomposed model are no longer needed: let them go
            // before the observables' window arrays are allocated
            decomposed = null;
        }

        var results = new List<EthObservable>();
        for (int index = 0; index < observables.Count; index++)
        {
            var o = observables[index];
            run.Start($"matrix elements of '{o.Name}'");
            var elements = EigenstateMatrixElements.Compute(basis, o.Operator, backend, fullBlocks: initial is not null, lo, hi, options.OffDiagonalBins, options.Cancellation);
            var levelValues = new double[levels.Count];
            var values = new double[d];
            for (int l = 0; l < levels.Count; l++)
            {
                levelValues[l] = elements.Trace(l).Real / levels[l].Count;
                for (int n = levels[l].Start; n < levels[l].Start + levels[l].Count; n++) values[n] = levelValues[l];
            }
            var micro = Microcanonical(basis, values, delta);
            double fluctuation = Fluctuation(basis, levelValues, lo, hi);
            double deviation = 0;
            for (int n = lo; n < hi; n++) deviation += (values[n] - micro[n]) * (values[n] - micro[n]);
            deviation = Math.Sqrt(deviation / (hi - lo));
            var off = elements.OffDiagonal ?? new OffDiagonalBins([], [], []);
            double? initialValue = null, diagonal = null, gibbs = null, daviesValue = null;
            if (initial is not null)
            {
                initialValue = initialValues![index];
                diagonal = EigenstateMatrixElements.TraceOfProducts(rhoElements!, elements).Real;
                gibbs = canonical.Average(initial!.EffectiveBeta, levelValues);
                daviesValue = steadyBlocks is not null
                    ? EigenstateMatrixElements.TraceOfProducts(steadyBlocks, elements).Real
                    : redfield!.Expectation(o.Operator);
            }
            results.Add(new EthObservable(o.Name, values, micro, fluctuation, deviation,
                new EthOffDiagonal(off.Omega, off.MeanSquare, off.Count), initialValue, diagonal, gibbs, daviesValue));
        }
        return new EthResult(model.SourceName, model.Space.SiteCount, d, e, basis.Tolerance, lo, hi, delta,
            LevelSpacingRatio(basis, lo, hi), results, initial);
    }

    /// <summary>Re Tr[ρ O] over the non-zeros of O (a Pauli sum has O(d) of them).</summary>
    private static double Expectation(Matrix<Complex> rho, Matrix<Complex> op)
    {
        double sum = 0;
        foreach (var (i, j, o) in op.EnumerateIndexed(Zeros.AllowSkip)) sum += (o * rho[j, i]).Real;
        return sum;
    }

    /// <summary>The central half of the eigenstates, [⌊d/4⌋, ⌈3d/4⌉), widened to whole levels.</summary>
    internal static (int Lo, int Hi) MiddleWindow(EigenBasis basis)
    {
        int d = basis.Dimension;
        int lo = d / 4, hi = Math.Max(lo + 1, (3 * d + 3) / 4);
        lo = basis.Levels[basis.LevelOf(lo)].Start;
        var last = basis.Levels[basis.LevelOf(hi - 1)];
        return (lo, last.Start + last.Count);
    }

    /// <summary>For each eigenstate n, the mean of the values of the eigenstates m with |E_m − E_n| ≤ δ (two pointers over the sorted energies).</summary>
    private static double[] Microcanonical(EigenBasis basis, double[] values, double delta)
    {
        var e = basis.Energies;
        int d = e.Length;
        var prefix = new double[d + 1];
        for (int i = 0; i < d; i++) prefix[i + 1] = prefix[i] + values[i];
        var result = new double[d];
        int a = 0, b = 0;
        foreach (var level in basis.Levels)
        {
            while (e[a] < level.Energy - delta) a++;
            while (b < d && e[b] <= level.Energy + delta) b++;
            int from = Math.Min(a, level.Start), to = Math.Max(b, level.Start + level.Count);
            double mean = (prefix[to] - prefix[from]) / (to - from);
            for (int n = level.Start; n < level.Start + level.Count; n++) result[n] = mean;
        }
        return result;
    }

    /// <summary>Mean |O_{I+1} − O_I| over consecutive levels of the window [lo, hi).</summary>
    private static double Fluctuation(EigenBasis basis, double[] levelValues, int lo, int hi)
    {
        int first = basis.LevelOf(lo), last = basis.LevelOf(hi - 1);
        if (last == first) return double.NaN;
        double sum = 0;
        for (int l = first; l < last; l++) sum += Math.Abs(levelValues[l + 1] - levelValues[l]);
        return sum / (last - first);
    }

    /// <summary>Mean min(s_k, s_{k+1})/max(s_k, s_{k+1}) of consecutive level spacings in the window [lo, hi).</summary>
    private static double LevelSpacingRatio(EigenBasis basis, int lo, int hi)
    {
        int first = basis.LevelOf(lo), last = basis.LevelOf(hi - 1);
        if (last - first < 2) return double.NaN;
        double sum = 0;
        for (int l = first; l + 2 <= last; l++)
        {
            double s1 = basis.Levels[l + 1].Energy - basis.Levels[l].Energy, s2 = basis.Levels[l + 2].Energy - basis.Levels[l + 1].Energy;
            sum += Math.Min(s1, s2) / Math.Max(s1, s2);
        }
        return sum / (last - first - 1);
    }
}

using Davies.Baths;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;

namespace Davies.Spectral;

/// <summary>
/// A model written in the energy eigenbasis: the grouped eigenbasis of H_S, the Bohr frequencies and the
/// <see cref="JumpOperators"/> (every coupling A_α = V† S_α V cut into level blocks, with the tables of G(ω) and
/// S(ω) of its bath over all Bohr frequencies). Built once and shared by the Davies and Bloch–Redfield generators and
/// every solver. Blocks A_{NI} (rows of level N, columns of level I) whose Frobenius norm is below
/// <see cref="NegligibleRelative"/> × max|A| are set to zero, so that selection rules that hold exactly in theory
/// (e.g. a coupling with no ω = 0 part) are not broken by rounding; the criterion is invariant under a change of
/// basis inside degenerate levels.
/// </summary>
public sealed partial class EnergyBasisModel
{
    /// <summary>Relative threshold below which a block of a coupling is treated as zero: 1e-10.</summary>
    internal const double NegligibleRelative = 1e-10;

    private EnergyBasisModel(OpenSystemModel model, EigenBasis basis, JumpOperators jumps, ILinearAlgebraBackend backend)
    {
        OpenSystem = model;
        Backend = backend;
        Basis = basis;
        Jumps = jumps;
    }

    /// <summary>The model.</summary>
    public OpenSystemModel OpenSystem { get; }

    /// <summary>
    /// The linear-algebra backend the model was built with; every solver of this model uses it unless its options name
    /// another (the global <see cref="LinearAlgebraProvider.Current"/> is read once, at <see cref="Build(OpenSystemModel, ILinearAlgebraBackend?, IProgress{string}?, CancellationToken)"/>).
    /// </summary>
    public ILinearAlgebraBackend Backend { get; }

    /// <summary>The grouped eigenbasis of H_S.</summary>
    public EigenBasis Basis { get; }

    /// <summary>The jump operators S_α(ω) of every coupling, with the rates and Lamb shifts of their baths.</summary>
    public JumpOperators Jumps { get; }

    /// <summary>The grouped Bohr frequencies.</summary>
    public BohrFrequencies Bohr => Jumps.Bohr;

    /// <summary>Dimension d.</summary>
    public int Dimension => Basis.Dimension;

    /// <summary>
    /// Diagonalises H_S, groups levels and Bohr frequencies, transforms the couplings and tabulates the rates.
    /// Throws <see cref="DivergentRateException"/> when a bath's G(0) diverges and some coupling of it has a
    /// non-zero ω = 0 part.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="backend">Linear-algebra backend (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
    /// <param name="progress">Receives a short message as each stage starts (e.g. "transforming couplings 3/12").</param>
    /// <param name="cancellation">Checked between stages and between couplings; throws <see cref="OperationCanceledException"/>.</param>
    public static EnergyBasisModel Build(OpenSystemModel model, ILinearAlgebraBackend? backend = null,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        cancellation.ThrowIfCancellationRequested();
        RequireMemory(model);
        var prepared = TakePrepared(model);
        var symmetries = prepared?.Symmetries ?? Symmetries.SymmetryResolution.For(model);
        progress?.Report($"diagonalising H (d = {model.Dimension})");
        var basis = NumericalGuard.Run(model, "eigenbasis of the Hamiltonian",
            () => EigenBasis.Compute(model.Hamiltonian, symmetries, model.Options.Tolerance, be, progress, prepared?.Blocks),
            b => NumericalGuard.AllFinite(b.Energies));
        return Build(model, basis, be, progress, cancellation);
    }

    /// <summary>As <see cref="Build(OpenSystemModel, ILinearAlgebraBackend?, IProgress{string}?, CancellationToken)"/> with a given eigenbasis.</summary>
    /// <param name="model">The model.</param>
    /// <param name="basis">The grouped eigenbasis of the model's H_S.</param>
    /// <param name="backend">Linear-algebra backend (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
    /// <param name="progress">Receives a short message as each stage starts.</param>
    /// <param name="cancellation">Checked between stages and between couplings.</param>
    /// <exception cref="NumericalException">A numerical step failed (named with the model's source).</exception>
    public static EnergyBasisModel Build(OpenSystemModel model, EigenBasis basis, ILinearAlgebraBackend? backend = null,
        IProgress<string>? progress = null, CancellationToken cancellation = default) =>
        NumericalGuard.Run(model, "rates and couplings in the eigenbasis", () => BuildCore(model, basis, backend, progress, cancellation));

    private static EnergyBasisModel BuildCore(OpenSystemModel model, EigenBasis basis, ILinearAlgebraBackend? backend,
        IProgress<string>? progress, CancellationToken cancellation)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        cancellation.ThrowIfCancellationRequested();
        progress?.Report($"grouping Bohr frequencies ({basis.Levels.Count} levels)");
        bool keep = KeepCouplings(model);
        // Small and kept (64 ≤ d < 256: the kernels run on one thread, and the table takes longer than starting a thread):
        // the Bohr frequencies, first read by the rates after the couplings, on a second core while the couplings are
        // transformed (the same table either way).
        var bohrAside = Aside<BohrFrequencies>.Start(
            keep && basis.Dimension >= AsideMinimum && basis.Dimension < DenseKernels.ParallelMinimum, () => new BohrFrequencies(basis));
        var bohr = bohrAside is null ? new BohrFrequencies(basis) : null!;
        int total = model.Baths.Sum(b => b.Couplings.Count), done = 0;
        int L = basis.Levels.Count, P = bohrAside is null ? bohr.PositiveCount : 0;
        var allCouplings = model.Baths.SelectMany(x => x.Couplings).ToArray();
        var bathOf = model.Baths.SelectMany((x, b) => x.Couplings.Select(_ => b)).ToArray();
        var couplingIndex = model.Baths.SelectMany(x => x.Couplings.Select((_, ci) => ci)).ToArray();
        int nc = allCouplings.Length;

        // A degenerate spectrum reads the couplings again in every consumer (level blocks, sparse columns): streaming
        // would only postpone their memory, so such a build keeps them, or is refused now if they do not fit.
        if (!keep && !basis.IsNonDegenerate && KeepCouplingsOverride.Value is null)
        {
            MemoryBudget.Require(EstimateBuildBytes(model), KeptWhat(model));
            keep = true;
        }

        // The rates: before the couplings when streaming (each coupling's rate-weighted sums are added as it goes), after
        // them otherwise (the stages' order of a kept build); G(0) only once the couplings have shown which baths need it.
        var rates = new double[model.Baths.Count][];
        var lamb = new double[model.Baths.Count][];
        void TabulateRates()
        {
            var omegas = Enumerable.Range(-P, 2 * P + 1).Select(bohr.Value).ToArray();
            // Baths with identical rate functions (same type, parameters and temperature) share their tables.
            var shared = new Dictionary<object, int>();
            for (int b = 0; b < model.Baths.Count; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                var bath = model.Baths[b];
                progress?.Report($"tabulating rates of bath {b + 1}/{model.Baths.Count} ({2 * P + 1} Bohr frequencies)");
                var key = ShareKey(bath.Rates);
                if (shared.TryGetValue(key, out int first))
                {
                    rates[b] = rates[first];
                    lamb[b] = lamb[first];
                    continue;
                }
                shared[key] = b;
                var g = new double[2 * P + 1];
                for (int k = 1; k <= P; k++)
                {
                    g[P + k] = bath.Rates.Rate(bohr.Value(k));
                    g[P - k] = bath.Rates.Rate(bohr.Value(-k));
                }
                g[P] = double.NaN; // G(0) only when a coupling of this bath has an ω = 0 part (NaN marks "never used")
                rates[b] = g;
                lamb[b] = model.Options.LambShift && bath.Rates.HasLambShift
                    ? LambShifts(model, b, omegas)
                    : new double[2 * P + 1];
            }
        }
        if (!keep) TabulateRates();

        var couplings = new CouplingMatrix?[nc];
        var nonZero = new BlockFlags[nc];
        var maxNorm2 = new double[nc];
        var maxBlockNorm2 = new double[nc];
        var source = keep ? null : new CouplingSource(allCouplings, basis, model.Space, be);
        var sums = keep ? null : new StreamedSums.Accumulator(basis, bohr, rates, lamb, bathOf);
        if (!keep && PairsAllowance(model) is long allowance)
            sums!.KeepPairs(allowance, Enumerable.Range(0, nc).Count(c => source!.RootOf(c) == c));
        void Take(int c, CouplingMatrix data)
        {
            if (keep) couplings[c] = data;
            else sums!.Add(c, data);
        }
        if (keep)
        {
            for (int c = 0; c < nc; c++)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report($"transforming couplings {++done}/{total}");
                if (basis.Blocks is { } blocks && BlockCouplingTransform.Mirror(allCouplings, c, blocks) is var (src, signs))
                {
                    // the image of an earlier coupling under an involution of the basis: signs, no transform, same blocks
                    Take(c, BlockCouplingTransform.Signed(couplings[src]!, signs));
                    (nonZero[c], maxNorm2[c], maxBlockNorm2[c]) = (nonZero[src], maxNorm2[src], maxBlockNorm2[src]);
                }
                else
                {
                    var data = CouplingTransform.ToEigenbasis(allCouplings[c], basis, model.Space, be);
                    (nonZero[c], maxNorm2[c], maxBlockNorm2[c]) = CleanBlocks(data, basis);
                    Take(c, data);
                }
            }
            CouplingTransform.ReleaseScratch(basis);
        }
        else
        {
            // Streaming: each root transformed once, its mirror images signed in place, every one added and dropped; the
            // next root's transform overwrites the array (fresh memory is touched once).
            CouplingMatrix? spare = null;
            for (int r = 0; r < nc; r++)
            {
                if (source!.RootOf(r) != r) continue;
                cancellation.ThrowIfCancellationRequested();
                progress?.Report($"transforming couplings {++done}/{total}");
                var data = source.TransformRoot(r, spare);
                (nonZero[r], maxNorm2[r], maxBlockNorm2[r]) = CleanBlocks(data, basis);
                // images with the root's rate tables: the same squares, summed in the root's pass (no sign flips)
                var images = Enumerable.Range(r + 1, nc - r - 1).Where(c => source.RootOf(c) == r && sums!.SameTables(c, r)).ToArray();
                sums!.Add(r, data, images, root: true);
                foreach (int c in images)
                {
                    progress?.Report($"transforming couplings {++done}/{total}");
                    (nonZero[c], maxNorm2[c], maxBlockNorm2[c]) = (nonZero[r], maxNorm2[r], maxBlockNorm2[r]);
                }
                sbyte[]? applied = null;
                for (int c = r + 1; c < nc; c++)
                {
                    if (source.RootOf(c) != r || images.Contains(c)) continue;
                    progress?.Report($"transforming couplings {++done}/{total}");
                    if (applied is not null) CouplingSource.SignInPlace(data, applied);
                    applied = source.SignsOf(c)!;
                    CouplingSource.SignInPlace(data, applied);
                    (nonZero[c], maxNorm2[c], maxBlockNorm2[c]) = (nonZero[r], maxNorm2[r], maxBlockNorm2[r]);
                    Take(c, data);
                }
                spare = data;
                LargeArrays.Reclaim();
            }
            spare = null;
            source!.Flags = nonZero;
            CouplingTransform.ReleaseScratch(basis);
        }

        if (bohrAside is not null)
        {
            bohr = bohrAside.Join();
            P = bohr.PositiveCount;
        }
        if (keep) TabulateRates();
        var needZero = new bool[model.Baths.Count];
        var zeroCoupling = new int[model.Baths.Count]; // the first coupling of each bath with an ω = 0 part (for messages)
        for (int c = 0; c < nc; c++)
        {
            bool zero = false;
            for (int i = 0; i < L; i++) zero |= nonZero[c][(long)i * L + i];
            int b = bathOf[c];
            if (zero && !needZero[b]) zeroCoupling[b] = couplingIndex[c];
            needZero[b] |= zero;
        }
        for (int b = 0; b < model.Baths.Count; b++)
            if (needZero[b] && double.IsNaN(rates[b][P])) rates[b][P] = ZeroRate(model, b, zeroCoupling[b]);
        // a kept build's mirror images too (the sector bounds fold them into their roots' rows)
        var mirrors = source is null && basis.Blocks is not null ? CouplingMirrors.Of(allCouplings, basis) : null;
        var jumps = new JumpOperators(basis, bohr, couplings, bathOf, nonZero, maxNorm2, maxBlockNorm2, rates, lamb, source, sums?.Finish(), mirrors);
        return new EnergyBasisModel(model, basis, jumps, be);
    }

    /// <summary>
    /// From this dimension on (and below <see cref="DenseKernels.ParallelMinimum"/>) a kept build groups the Bohr
    /// frequencies on a second thread: below it the table costs less than starting a thread (~0.2 ms).
    /// </summary>
    internal const int AsideMinimum = 64;

    /// <summary>
    /// Testing and benchmarks: forces (true) or forbids (false) keeping the couplings in the eigenbasis for builds in the
    /// current execution context (null: by memory, <see cref="KeepCouplingsBelow"/>).
    /// </summary>
    internal static readonly AsyncLocal<bool?> KeepCouplingsOverride = new();

    /// <summary>
    /// The couplings in the eigenbasis are kept when the kept build (<see cref="EstimateBuildBytes"/>) needs at most this
    /// fraction of <see cref="MemoryBudget.Available"/>; otherwise the build streams them (transform, add, drop) and the
    /// stages that need them again transform them again (n = 14 σz chain: 14 × 2 GiB would not fit 24 GiB).
    /// </summary>
    internal const double KeepCouplingsBelow = 0.5;

    private static bool KeepCouplings(OpenSystemModel model) =>
        KeepCouplingsOverride.Value ?? EstimateBuildBytes(model) <= KeepCouplingsBelow * MemoryBudget.Available;

    /// <summary>
    /// Testing: forces (true) or forbids (false) keeping, in a streaming build, the root couplings' entries that the sector
    /// bounds read (<see cref="PairValues"/>; null: by memory, <see cref="KeepPairsBelow"/>).
    /// </summary>
    internal static readonly AsyncLocal<bool?> KeepPairsOverride = new();

    /// <summary>
    /// A streaming build keeps the entries the sector bounds read while the streaming estimate
    /// (<see cref="EstimateStreamingBytes"/>) plus those entries (held, and projected for the roots to come) stay within
    /// this fraction of <see cref="MemoryBudget.Available"/>; beyond it the bounds transform the couplings a second time.
    /// n = 14 σz chain: 11.5 GiB estimated + 3.7 GiB of entries against 17.6 GiB (0.75 × 23.5 GiB).
    /// </summary>
    internal const double KeepPairsBelow = 0.75;

    private static long? PairsAllowance(OpenSystemModel model) => KeepPairsOverride.Value switch
    {
        true => long.MaxValue,
        false => null,
        _ => KeepPairsBelow * MemoryBudget.Available - EstimateStreamingBytes(model) is var room && room > 0 ? (long)Math.Min(room, long.MaxValue / 2) : null,
    };

    /// <summary>The largest dimension whose d×d arrays Davies can index (d² &lt; 2³¹).</summary>
    public const int MaxDimension = 46340;

    /// <summary>
    /// The memory the build holds, estimated before anything is allocated: the eigenvectors, a work copy of H and every
    /// coupling as d×d arrays (real when H_S and the couplings are real). Throws <see cref="ResourceLimitException"/>
    /// when d² would overflow an array index or the estimate exceeds <see cref="MemoryBudget.Available"/>.
    /// </summary>
    internal static double EstimateBuildBytes(OpenSystemModel model)
    {
        int couplings = model.Baths.Sum(b => b.Couplings.Count);
        bool real = EigenBasis.IsReal(model.Hamiltonian) && model.Baths.All(b => b.Couplings.All(EigenBasis.IsReal));
        double d2 = (double)model.Dimension * model.Dimension;
        return d2 * (real ? 8 : 16) * (2 + couplings) + d2 * 4 * 2; // + the Bohr id table and the block flags
    }

    private static string KeptWhat(OpenSystemModel model) =>
        $"the model in its eigenbasis (d = {model.Dimension}: eigenvectors and {model.Baths.Sum(b => b.Couplings.Count)} coupling(s) as {model.Dimension}×{model.Dimension} arrays)";

    private static void RequireMemory(OpenSystemModel model)
    {
        int d = model.Dimension;
        int couplings = model.Baths.Sum(b => b.Couplings.Count);
        string what = KeptWhat(model);
        if (d > MaxDimension)
            throw new ResourceLimitException(
                $"{what} needs about {Bytes.Format(EstimateBuildBytes(model))}; d = {d} exceeds the largest dimension Davies holds as d×d arrays ({MaxDimension})");
        if (EstimateBuildBytes(model) <= MemoryBudget.Available) return;
        // the streaming build (couplings transformed, added and dropped) is the smallest that can run
        MemoryBudget.Require(EstimateStreamingBytes(model),
            $"the model in its eigenbasis (d = {d}: eigenvectors, the Pauli matrix and one of {couplings} coupling(s) at a time as {d}×{d} arrays)");
    }

    /// <summary>
    /// The memory a streaming build holds: the eigenvectors, a work copy of H, one coupling (and its transform's work
    /// arrays), the Pauli matrix, the Bohr id table and the block flags.
    /// </summary>
    internal static double EstimateStreamingBytes(OpenSystemModel model)
    {
        int couplings = model.Baths.Sum(b => b.Couplings.Count);
        bool real = EigenBasis.IsReal(model.Hamiltonian) && model.Baths.All(b => b.Couplings.All(EigenBasis.IsReal));
        double d2 = (double)model.Dimension * model.Dimension;
        return d2 * (real ? 8 : 16) * 4 + d2 * 8 + d2 * 4 + d2 / 8 * couplings;
    }

    /// <summary>
    /// A key equal for rate functions known to be identical: the library's rate types compare by their parameters
    /// and β; any other implementation (or a tabulated density) only by reference.
    /// </summary>
    internal static object ShareKey(IRateFunction rates) => rates switch
    {
        ThermalRates { Density: OhmicSpectralDensity o } t => (typeof(OhmicSpectralDensity), o.Eta, o.Cutoff, o.Exponent, t.Beta),
        ThermalRates { Density: DrudeLorentzSpectralDensity dl } t => (typeof(DrudeLorentzSpectralDensity), dl.Lambda, dl.Gamma, 0.0, t.Beta),
        MetropolisRates m => (typeof(MetropolisRates), m.RateConstant, 0.0, 0.0, m.Beta),
        GlauberRates g => (typeof(GlauberRates), g.RateConstant, 0.0, 0.0, g.Beta),
        _ => rates,
    };

    private static double ZeroRate(OpenSystemModel model, int index, int coupling)
    {
        var bath = model.Baths[index];
        try { return bath.Rates.Rate(0.0); }
        catch (DivergentRateException e)
        {
            throw new DivergentRateException($"{Source(model)}baths[{index}].couplings[{coupling}] ('{bath.CouplingLabels[coupling]}' of bath '{bath.Name}'): {e.Message}");
        }
    }

    /// <summary>The Lamb shifts of bath <paramref name="index"/>; a divergent one names the model's source and the bath.</summary>
    private static double[] LambShifts(OpenSystemModel model, int index, double[] omegas)
    {
        var bath = model.Baths[index];
        try { return bath.Rates.LambShifts(omegas); }
        catch (DivergentRateException e)
        {
            throw new DivergentRateException($"{Source(model)}baths[{index}].spectrum (bath '{bath.Name}'): {e.Message}");
        }
        catch (NumericalException e) when (e is not LinearAlgebraException)
        {
            throw new NumericalException($"baths[{index}].spectrum (bath '{bath.Name}'): {e.Message}", e);
        }
    }

    private static string Source(OpenSystemModel model) => model.SourceName is { } s ? s + ": " : "";

    // The non-zero level blocks of a coupling (the others cleaned to exact zeros), its largest |A_nm|², and its largest
    // squared block norm ‖A_NI‖²_F (the same for non-degenerate levels; invariant under a change of basis inside levels).
    private static (BlockFlags NonZero, double MaxNorm2, double MaxBlockNorm2) CleanBlocks(CouplingMatrix a, EigenBasis basis)
    {
        int d = basis.Dimension, L = basis.Levels.Count;
        var parallel = DenseKernels.ParallelOver(d);
        double max2 = 0;
        var gate = new object();
        var re = a.RealData;
        Parallel.For(0, d, parallel, () => 0.0, (m, _, local) =>
        {
            if (re is not null)
            {
                // the largest |x| squared is the largest square (rounding is monotone): one SIMD pass over the column
                double x = DenseKernels.MaxAbs(re.AsSpan((int)((long)m * d), d));
                return Math.Max(local, x * x);
            }
            // squares are never NaN or −0 here (finite entries), so a plain comparison is Math.Max
            for (int n = 0; n < d; n++)
            {
                double x2 = a.Norm2(n + (long)m * d);
                if (x2 > local) local = x2;
            }
            return local;
        }, local => { lock (gate) max2 = Math.Max(max2, local); });
        double max = Math.Sqrt(max2);
        double threshold = NegligibleRelative * max;
        // √x2 > threshold, decided on the squares away from the threshold (no square root there) and by the root itself
        // within a relative 1e-12 of it, where rounding could tell them apart: the same answer for every x2 (by the root
        // alone where the threshold's square would lose digits to underflow or overflow)
        bool squares = threshold is > 1e-150 and < 1e150;
        double below = threshold * threshold * (1 - 1e-12), above = threshold * threshold * (1 + 1e-12);
        bool Above(double x2) => squares ? x2 > above || (x2 >= below && Math.Sqrt(x2) > threshold) : Math.Sqrt(x2) > threshold;
        var nz = new BlockFlags((long)L * L);
        if (L == d)
        {
            // One element per block. Tiles of 64 columns × 64 rows: the coupling is read down its columns while
            // the flags (row-major) are written along their rows.
            // A tile's flags of one row n are the bits m0…m1−1 of one 64-bit word, set together (one atomic OR or two).
            const int Tile = 64;
            Parallel.For(0, (d + Tile - 1) / Tile, parallel, tm =>
            {
                int m0 = tm * Tile, m1 = Math.Min(d, m0 + Tile);
                Span<ulong> rows = stackalloc ulong[Tile];
                for (int n0 = 0; n0 < d; n0 += Tile)
                {
                    int n1 = Math.Min(d, n0 + Tile);
                    rows.Clear();
                    if (re is not null && squares)
                    {
                        // the same decision on the real entries, without the closure and the storage test per entry
                        for (int m = m0; m < m1; m++)
                        {
                            ulong bit = 1UL << (m - m0);
                            int column = m * d;
                            for (int n = n0; n < n1; n++)
                            {
                                double x = re[n + column], x2 = x * x;
                                if (x2 == 0) continue;
                                if (x2 > above || (x2 >= below && Math.Sqrt(x2) > threshold)) rows[n - n0] |= bit;
                                else re[n + column] = 0;
                            }
                        }
                    }
                    else
                        for (int m = m0; m < m1; m++)
                            for (int n = n0; n < n1; n++)
                            {
                                int at = n + m * d;
                                double x2 = a.Norm2(at);
                                if (x2 == 0) continue;
                                if (Above(x2)) rows[n - n0] |= 1UL << (m - m0);
                                else a[at] = Complex.Zero;
                            }
                    for (int n = n0; n < n1; n++)
                        if (rows[n - n0] != 0) nz.SetBits((long)n * L + m0, rows[n - n0]);
                }
            });
            return (nz, max2, max2);
        }
        var levels = basis.Levels;
        double maxBlock2 = 0;
        Parallel.For(0, L, parallel, () => 0.0, (N, _, localBlock) =>
        {
            for (int I = 0; I < L; I++)
            {
                var ln = levels[N];
                var li = levels[I];
                double norm2 = 0;
                for (int m = li.Start; m < li.Start + li.Count; m++)
                    for (int n = ln.Start; n < ln.Start + ln.Count; n++)
                        norm2 += a.Norm2(n + m * d);
                if (Math.Sqrt(norm2) > threshold && max > 0)
                {
                    nz.Set((long)N * L + I);
                    localBlock = Math.Max(localBlock, norm2);
                }
                else
                    for (int m = li.Start; m < li.Start + li.Count; m++)
                        for (int n = ln.Start; n < ln.Start + ln.Count; n++) a[n + m * d] = Complex.Zero;
            }
            return localBlock;
        }, localBlock => { lock (gate) maxBlock2 = Math.Max(maxBlock2, localBlock); });
        return (nz, max2, maxBlock2); // the largest entry's block is never cleaned, so max2 holds afterwards too
    }
}

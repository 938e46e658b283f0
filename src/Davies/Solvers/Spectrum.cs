using System.Collections.Concurrent;
using Davies.LinearAlgebra;
using Davies.Generators;
using Davies.Models;
using Davies.Solvers.Pruning;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// The spectrum of the Davies generator, sector by sector (each Bohr sector's small matrix is diagonalised on its
/// own; 1×1 sectors cost nothing), or of the dense Bloch–Redfield generator for <c>secular: none</c>.
/// <para>
/// Detailed balance: when all baths share one temperature and H_S is non-degenerate, the ν = 0 sector is the Pauli
/// matrix W, and KMS gives W_nm π_m = W_mn π_n with π the Gibbs populations, so W is similar to the symmetric matrix
/// S = Π^{−1/2} W Π^{1/2}, S_nm = √(W_nm W_mn) (n ≠ m), S_nn = W_nn. The eigenvalues are then found with a symmetric
/// eigensolver (real, accurate, no spurious imaginary parts). Written with √(W_nm W_mn), S needs no Gibbs weights
/// and stays valid at T = 0 (where W is triangular in energy order and S its diagonal). The condition is verified
/// numerically (relative 1e-9) before it is used; otherwise the general eigensolver is used.
/// </para>
/// </summary>
public static class Spectrum
{
    /// <summary>
    /// Computes the spectrum of a model: builds its <see cref="EnergyBasisModel"/> with
    /// <see cref="SolverOptions.Backend"/>, or with <see cref="LinearAlgebraProvider.Current"/> when that is null.
    /// </summary>
    public static SpectrumResult Compute(OpenSystemModel model, SpectrumOptions? options = null)
    {
        options ??= new SpectrumOptions();
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        return Compute(EnergyBasisModel.Build(model, backend, options.Progress, options.Cancellation), options with { Backend = backend });
    }

    /// <summary>Computes the spectrum of a decomposed model (with its backend unless the options name another).</summary>
    public static SpectrumResult Compute(EnergyBasisModel dm, SpectrumOptions? options = null)
    {
        options ??= new SpectrumOptions();
        if (options.Modes < 0) throw new ModelException($"modes: must be ≥ 0, got {options.Modes}");
        return NumericalGuard.Run(dm.OpenSystem, "relaxation spectrum", () => DenseGenerator.Applies(dm.OpenSystem) ? Dense(dm, options) : Davies(dm, options));
    }

    /// <summary>
    /// A degenerate H_S whose largest Bohr sector exceeds this dimension is diagonalised block by block of the sectors'
    /// invariant components (<see cref="ComponentSpectrum"/>) instead of as dense sector matrices.
    /// </summary>
    internal const int StructuredSectorMinimum = 1024;

    private static SpectrumResult Davies(EnergyBasisModel dm, SpectrumOptions options)
    {
        var backend = options.BackendFor(dm);
        var run = options.Stages;
        var cancel = run.Cancellation;
        run.Start("Bohr sectors");
        var gen = new DaviesGenerator(dm);
        int largestSector = gen.Sectors.Max(x => x.Dimension);
        if (!dm.Basis.IsNonDegenerate && largestSector > StructuredSectorMinimum)
            return ComponentSpectrum.Compute(gen, options, KmsWeights(dm));
        MemoryBudget.Require(16.0 * largestSector * largestSector * 3, $"the largest Bohr sector ({largestSector} coherences) as a dense matrix");
        Complex[]? populationValues = null;
        Complex[]? coherenceValues = null;
        var method = SpectrumMethod.General;
        var sectors = gen.Sectors.ToList();
        var sectorValues = new Complex[]?[sectors.Count];
        int pop = sectors.FindIndex(x => x.IsPopulationSector);
        run.Start($"population block (d = {dm.Dimension})");
        // The Pauli matrix (non-degenerate H_S) gives the KMS-symmetrised population block.
        var pauli = dm.Basis.IsNonDegenerate && sectors[pop].Ids.Count == 1 ? gen.SharedPauliMatrix() : null;
        bool prune = !options.Full && dm.Dimension > 16;
        double populationFastest = 0; // |λ_min| of the population block when only its slow end is listed (Lanczos)
        var weights = KmsWeights(dm);
        var pauliDiagonal = pauli?.Diagonal().ToArray();
        if (options.UseDetailedBalance && pauli is not null && KmsSymmetric(dm, pauli) is { } sym)
        {
            // The matrix-free sector bounds run after this eigensolver, not beside it: both want every core.
            double[]? values = null;
            if (prune && dm.Dimension >= options.PopulationLanczosMinimum && SlowPopulationModes(sym, options, backend) is { } slow)
            {
                values = slow.Values;
                populationFastest = slow.Fastest;
                method = SpectrumMethod.KmsLanczos;
            }
            else method = SpectrumMethod.KmsSymmetric;
            values ??= BlockSplitting.SymmetricEigenvalues(sym, backend);
            sectorValues[pop] = values.Select(x => new Complex(x, 0)).ToArray();
        }
        else sectorValues[pop] = SectorEigenvalues(gen.SectorMatrix(sectors[pop]), backend);
        // A streaming build: W is not needed again here, and its d² reals make room for the bounds' second pass.
        pauli = null;
        if (!dm.Jumps.KeepsCouplings)
        {
            PauliRateMatrix.ReleaseStreamed(dm.Jumps);
            LargeArrays.Reclaim(); // W and its symmetrised copy, before the bounds allocate their gathered V
        }

        // Pruning: the Modes-th slowest decay of the ν = 0 sector is a threshold no skipped sector can undercut.
        double threshold = double.PositiveInfinity;
        if (prune)
        {
            var popValues = sectorValues[pop]!;
            double tiny = Propagator.ZeroRelative * Math.Max(Math.Max(popValues.Select(z => z.Magnitude).DefaultIfEmpty(0).Max(), populationFastest), double.Epsilon);
            var decays = popValues.Select(z => -z.Real).Where(x => x > tiny).OrderBy(x => x).ToArray();
            int k = Math.Max(options.Modes, 1);
            if (decays.Length >= k) threshold = decays[k - 1];
        }
        var skippedScale = new double[sectors.Count];
        skippedScale[pop] = populationFastest; // the scale (max |λ|) of a population block listed only by its slow end
        int skipped = 0, krylovBlocks = 0;
        // Non-degenerate H_S with sharp Bohr groups: matrix-free Gershgorin bounds first (no sector matrix is built
        // for a sector they settle), with a relative safety margin for rounding.
        SectorDecayBounds? fast = null;
        if (double.IsFinite(threshold) && pauliDiagonal is not null)
        {
            run.Start("sector decay bounds");
            fast = SectorDecayBounds.TryCreate(dm, pauliDiagonal, weights, cancel, run.Progress);
            if (!dm.Jumps.KeepsCouplings) LargeArrays.Reclaim(); // the bounds' gathered V, before the sector loop
        }
        var fastBounds = fast?.LowerBounds(gen);
        double maxEscape = pauliDiagonal is null ? 0 : -pauliDiagonal.Min();
        double safeThreshold = threshold + 1e-9 * Math.Max(threshold, maxEscape);
        // Sectors are independent: small ones are diagonalised in parallel (managed), large ones by LAPACK.
        // Largest first, so that the big ones do not end up alone on one core at the end.
        var order = Enumerable.Range(0, sectors.Count).OrderByDescending(i => sectors[i].Dimension).ToArray();
        run.Start("sectors 0 %");
        var done = run.Counter("sectors", sectors.Count);
        // Bounds, then the eigenvalues of what the bounds leave. Sectors small enough for managed code are handled in
        // parallel; the large ones are collected and done one after another afterwards, so that LAPACK/BLAS have the
        // cores to themselves (OpenBLAS threads spin, and they compete badly with busy .NET workers).
        const int LargeSector = 64;
        var large = new ConcurrentBag<int>();
        bool Settled(int i, Matrix<Complex> m)
        {
            if (!double.IsFinite(threshold)
                || !DenseSectorBounds.DecaysFasterThan(m, sectors[i], weights, threshold, safeThreshold, backend))
                return false;
            double diag = 0;
            for (int r = 0; r < m.RowCount; r++) diag = Math.Max(diag, m[r, r].Magnitude);
            skippedScale[i] = diag;
            Interlocked.Increment(ref skipped);
            return true;
        }
        var parallel = DenseKernels.Threads(cancel);
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), parallel, i =>
        {
            if (i == pop)
            {
                done.Step();
                return;
            }
            if (fastBounds is not null && fastBounds[i] > safeThreshold)
            {
                skippedScale[i] = Math.Abs(sectors[i].Frequency) + 2 * maxEscape;
                Interlocked.Increment(ref skipped);
                done.Step();
                return;
            }
            if (sectors[i].Dimension >= LargeSector)
            {
                large.Add(i);
                return;
            }
            var m = gen.SectorMatrix(sectors[i]);
            if (!Settled(i, m)) sectorValues[i] = SectorEigenvalues(m, backend);
            done.Step();
        });
        // A large sector: its invariant blocks (classes of eigenvectors no coupling joins, then exact zeros) one by one;
        // a block is settled by its bounds, or its slow modes are found by Krylov–Schur (RightmostModes), or it is
        // diagonalised densely.
        Complex[]? SearchLarge(int i)
        {
            if (!double.IsFinite(threshold)) return SectorEigenvalues(gen.SectorMatrix(sectors[i]), backend);
            var w = DenseSectorBounds.ElementWeights(sectors[i], weights);
            var values = new List<Complex>();
            bool computed = false;
            foreach (var (coordinates, block) in gen.SectorClassBlocks(sectors[i]))
            {
                foreach (var comp in BlockSplitting.Components(block))
                {
                    var sub = BlockSplitting.Sub(block, comp);
                    var wc = comp.Select(k => w[coordinates[k]]).ToArray();
                    if (sub.RowCount > 1 && DenseSectorBounds.DecaysFasterThan(sub, wc, threshold, safeThreshold, backend))
                    {
                        for (int r = 0; r < sub.RowCount; r++) skippedScale[i] = Math.Max(skippedScale[i], sub[r, r].Magnitude);
                        continue;
                    }
                    computed = true;
                    if (sub.RowCount >= options.KrylovMinimum && RightmostModes.Find(sub, wc, safeThreshold, backend, cancel) is { } found)
                    {
                        Interlocked.Increment(ref krylovBlocks);
                        values.AddRange(found);
                        skippedScale[i] = Math.Max(skippedScale[i], Math.Abs(sectors[i].Frequency) + 2 * maxEscape);
                    }
                    else values.AddRange(SectorEigenvalues(sub, backend));
                }
                ScratchPool.Return(DenseKernels.Data(block)); // done with this block (and its sub-blocks)
            }
            if (computed) return values.ToArray();
            Interlocked.Increment(ref skipped);
            return null;
        }
        // L(ρ†) = L(ρ)†: the sector of −ν is the complex conjugate of the sector of ν (elements (m, n) ↔ (n, m)), so its
        // eigenvalues are the conjugates; each pair is searched once.
        var byIds = new Dictionary<string, int>();
        for (int i = 0; i < sectors.Count; i++) byIds[string.Join(",", sectors[i].Ids)] = i;
        int MirrorOf(int i) =>
            byIds.TryGetValue(string.Join(",", sectors[i].Ids.Select(x => -x).Order()), out int j) && j != i ? j : -1;
        var largeSet = large.ToHashSet();
        var mirrored = new List<(int Target, int Source)>();
        foreach (int i in large.OrderByDescending(i => sectors[i].Dimension).ThenBy(i => i))
        {
            cancel.ThrowIfCancellationRequested();
            int j = MirrorOf(i);
            if (j >= 0 && largeSet.Contains(j) && sectors[i].Id < 0)
            {
                mirrored.Add((i, j));
                continue;
            }
            sectorValues[i] = SearchLarge(i);
            done.Step();
        }
        ScratchPool.Clear();
        foreach (var (i, j) in mirrored)
        {
            sectorValues[i] = sectorValues[j]?.Select(Complex.Conjugate).ToArray();
            skippedScale[i] = skippedScale[j];
            if (sectorValues[i] is null) Interlocked.Increment(ref skipped);
            done.Step();
        }
        if (method == SpectrumMethod.KmsLanczos)
        {
            // The Lanczos list holds max(Modes, 1) decays above a zero threshold 1e4 × wider than 1e-10 ‖S‖; should the
            // final scale (the coherence sectors' largest |λ|) make the zero threshold swallow some of them, the block is
            // diagonalised after all (rare: a scale above 1e4 ‖S‖), so that the gap and the slowest modes stay exact.
            double finalScale = Math.Max(sectorValues.Where(v => v is not null).SelectMany(v => v!).Select(z => z.Magnitude).DefaultIfEmpty(0).Max(), skippedScale.Max());
            double finalZero = Propagator.ZeroRelative * (finalScale == 0 ? 1 : finalScale);
            if (sectorValues[pop]!.Count(z => z.Magnitude > finalZero) < Math.Max(options.Modes, 1))
            {
                var again = KmsSymmetric(dm, gen.SharedPauliMatrix())!;
                sectorValues[pop] = BlockSplitting.SymmetricEigenvalues(again, backend).Select(x => new Complex(x, 0)).ToArray();
                skippedScale[pop] = 0;
                method = SpectrumMethod.KmsSymmetric;
            }
        }
        // sized to the eigenvalues found (a d² capacity up front was 6 GiB at d = 16384, where the bounds settle all but
        // the population block)
        var all = new List<SpectralMode>(sectorValues.Sum(v => v?.Length ?? 0));
        for (int i = 0; i < sectors.Count; i++)
        {
            var s = sectors[i];
            var values = sectorValues[i];
            if (values is null) continue;
            foreach (var v in values) all.Add(new SpectralMode(v, s.Frequency));
            if (s.IsPopulationSector) populationValues = values;
            if (s.Ids.Contains(1)) coherenceValues = values;
        }
        double scale = Math.Max(all.Max(m => m.Eigenvalue.Magnitude), skippedScale.Max());
        if (scale == 0) scale = 1;
        double zero = Propagator.ZeroRelative * scale;
        double? popGap = Gap(populationValues!, zero);
        double? t1 = null, t2 = null;
        if (dm.Dimension == 2 && dm.Basis.IsNonDegenerate && populationValues!.Length == 2 && coherenceValues is { Length: 1 })
        {
            var nonzero = populationValues.OrderByDescending(z => z.Magnitude).First();
            t1 = nonzero.Magnitude > zero ? 1 / nonzero.Magnitude : double.PositiveInfinity;
            double re = Math.Abs(coherenceValues[0].Real);
            t2 = re > zero ? 1 / re : double.PositiveInfinity;
        }
        return new SpectrumResult(dm, all, scale, popGap, t1, t2, method, options.Modes) { SkippedSectors = skipped, KrylovBlocks = krylovBlocks };
    }

    /// <summary>
    /// The slow end of the KMS-symmetrised population block S by block Lanczos (<see cref="PopulationLanczos"/>): the
    /// kernel and the max(Modes, 1) slowest decays above <see cref="PopulationLanczos.ZeroGuard"/> × 1e-10 ‖S‖ (with ties
    /// and every smaller non-zero value), descending, and ‖S‖ = |λ_min|; null when Lanczos does not
    /// apply (more connected components than <see cref="PopulationLanczos.MaximumComponents"/>, or more than
    /// <see cref="PopulationLanczos.MaximumDecays"/> modes asked for) or does not converge
    /// within its budget (the caller then diagonalises S densely).
    /// </summary>
    internal static (double[] Values, double Fastest)? SlowPopulationModes(Matrix<double> sym, SpectrumOptions options, ILinearAlgebraBackend backend)
    {
        int d = sym.RowCount, k = Math.Max(options.Modes, 1);
        var parts = BlockSplitting.SymmetricComponents(DenseKernels.Data(sym), d);
        int components = parts.Length;
        if (components > PopulationLanczos.MaximumComponents || k > PopulationLanczos.MaximumDecays) return null;
        // The dense path diagonalises component by component (Σ_c n_c³), Lanczos passes over all of S (∝ d²): Lanczos
        // only when Σ_c n_c³ / d² reaches the crossover measured for one component (n = PopulationLanczosMinimum). The
        // σx chain's two parity classes of d/2 at d = 4096: 1024 < 2048, dense (1.8 s against 2.7 s by Lanczos).
        double denseCost = parts.Sum(p => Math.Pow(p.Length, 3)) / ((double)d * d);
        if (denseCost < options.PopulationLanczosMinimum) return null;
        var found = PopulationLanczos.Find(sym, k, components, backend, options.PopulationLanczosBudget, options.Cancellation, options.PopulationLanczosZeroGuard);
        if (found is null) return null;
        double fastest = Math.Abs(found.Fastest), zero = options.PopulationLanczosZeroGuard * Propagator.ZeroRelative * fastest;
        // the top values down to the k-th non-zero one (and values tied with it); the margin beyond is not listed
        var list = new List<double>();
        int nonzero = 0;
        double kth = double.NaN;
        foreach (double x in found.Slow)
        {
            if (nonzero >= k && !(x >= kth - 1e-9 * fastest)) break;
            list.Add(x);
            if (x < -zero && ++nonzero == k) kth = x;
        }
        return (list.ToArray(), fastest);
    }

    /// <summary>
    /// Per eigenvector index, the Gibbs weight e^{−β_eff E}: used to symmetrise sector matrices. Any positive weights
    /// give a valid bound; the KMS ones (β of the first bath, capped so that the weights stay finite) make it tight.
    /// </summary>
    internal static double[] KmsWeights(EnergyBasisModel dm)
    {
        var e = dm.Basis.Energies;
        double width = Math.Max(e[^1] - e[0], double.Epsilon);
        double beta = Math.Min(dm.OpenSystem.Baths[0].Beta, 200 / width);
        return e.Select(x => Math.Exp(-beta * (x - e[0]))).ToArray();
    }

    private static double Gap(IEnumerable<Complex> values, double zero)
    {
        var decaying = values.Where(z => Math.Abs(z.Real) > zero).Select(z => Math.Abs(z.Real)).ToArray();
        return decaying.Length > 0 ? decaying.Min() : 0;
    }

    // Eigenvalues of a sector matrix, component by component of its sparsity graph (large components by the backend).
    internal static Complex[] SectorEigenvalues(Matrix<Complex> m, ILinearAlgebraBackend backend)
    {
        if (m.RowCount == 1) return [m[0, 0]];
        var result = new List<Complex>(m.RowCount);
        foreach (var comp in BlockSplitting.Components(m))
        {
            var sub = BlockSplitting.Sub(m, comp);
            if (sub.RowCount == 1) result.Add(sub[0, 0]);
            else if (sub.RowCount <= 48) result.AddRange(sub.Evd(Symmetricity.Asymmetric).EigenValues);
            else result.AddRange(backend.EigenvaluesGeneral(sub));
        }
        return result.ToArray();
    }

    /// <summary>
    /// The KMS-symmetrised Pauli matrix S = Π^{−1/2} W Π^{1/2} (S_nm = √(W_nm W_mn)), or null when detailed balance
    /// does not hold (several temperatures, or a numerical check failing).
    /// </summary>
    internal static Matrix<double>? KmsSymmetric(EnergyBasisModel dm, Matrix<double> w)
    {
        var basis = dm.Basis;
        if (!dm.OpenSystem.IsSingleTemperature) return null;
        int d = basis.Dimension;
        double beta = dm.OpenSystem.Baths[0].Beta;
        var wd = DenseKernels.Data(w);
        var e = basis.Energies;
        var parallel = DenseKernels.ParallelOver(d);
        double max = 0;
        var gate = new object();
        Parallel.For(0, d, parallel, () => 0.0, (m, _, local) =>
        {
            for (int n = 0; n < d; n++) local = Math.Max(local, Math.Abs(wd[n + (long)m * d]));
            return local;
        }, local => { lock (gate) max = Math.Max(max, local); });
        var sd = LargeArrays.Zeroed<double>((long)d * d);
        int failed = 0;
        DenseKernels.LowerTriangleTiles(d, (n, m) =>
        {
            long nm = n + (long)m * d, mn = m + (long)n * d;
            if (n == m)
            {
                sd[nm] = wd[nm];
                return;
            }
            // m above n: W[n, m] is the downward rate m → n, W[m, n] the upward n → m
            double boltz = Math.Exp(-beta * (e[m] - e[n]));
            if (Math.Abs(wd[mn] - wd[nm] * boltz) > 1e-9 * max) Interlocked.Exchange(ref failed, 1);
            sd[nm] = sd[mn] = Math.Sqrt(wd[nm] * wd[mn]);
        });
        return failed != 0 ? null : Matrix<double>.Build.Dense(d, d, sd);
    }

    // Bloch–Redfield or the local master equation: all eigenvalues of the dense generator, each assigned the Bohr sector
    // that carries most of its eigenvector.
    private static SpectrumResult Dense(EnergyBasisModel dm, SpectrumOptions options)
    {
        int d = dm.Dimension;
        options.Stages.Start($"dense {DenseGenerator.Name(dm.OpenSystem)} generator ({d * d}×{d * d})");
        var l = DenseGenerator.Of(dm);
        var evd = l.Evd(Symmetricity.Asymmetric);
        var values = evd.EigenValues;
        var vectors = evd.EigenVectors;
        var all = new List<SpectralMode>(d * d);
        var sectorOf = new int[d * d];
        var zeroWeight = new double[d * d]; // the share of the eigenvector's weight in the ν = 0 sector
        var byFrequency = Enumerable.Range(-dm.Bohr.PositiveCount, 2 * dm.Bohr.PositiveCount + 1)
            .OrderBy(i => Math.Abs(dm.Bohr.Value(i))).ThenBy(i => -dm.Bohr.Value(i)).ToArray();
        for (int j = 0; j < d * d; j++)
        {
            var (id, weights) = DominantSector(dm, vectors, j, byFrequency);
            sectorOf[j] = id;
            double total = weights.Sum();
            zeroWeight[j] = total > 0 ? weights[dm.Bohr.PositiveCount] / total : 0;
            all.Add(new SpectralMode(values[j], dm.Bohr.Value(id)));
        }
        double scale = all.Max(m => m.Eigenvalue.Magnitude);
        if (scale == 0) scale = 1;
        double zero = Propagator.ZeroRelative * scale;
        double? t1 = null, t2 = null;
        if (d == 2 && dm.Basis.IsNonDegenerate)
        {
            // T1 from the decaying mode of the population sector (ν = 0), T2 from the slowest decaying mode of the
            // coherence sectors ν = ±ω₀ (strong damping makes that pair real, with two different rates: T2 is the
            // slower one, the coherence's asymptotic decay time). When strong dephasing mixes populations and
            // coherences so much that no mode is assigned to ν = 0, T1 comes from the mode with the largest ν = 0 share.
            var idx = Enumerable.Range(0, 4).Where(j => values[j].Magnitude > zero).ToArray();
            int p = idx.Length == 0 ? -1
                : idx.OrderByDescending(j => sectorOf[j] == 0).ThenByDescending(j => zeroWeight[j]).First();
            if (p >= 0) t1 = 1 / values[p].Magnitude;
            var coherence = idx.Where(j => j != p && sectorOf[j] != 0).ToArray();
            if (coherence.Length > 0)
            {
                double re = coherence.Min(j => Math.Abs(values[j].Real));
                t2 = re > zero ? 1 / re : double.PositiveInfinity;
            }
        }
        return new SpectrumResult(dm, all, scale, null, t1, t2,
            DenseGenerator.IsLocal(dm.OpenSystem) ? SpectrumMethod.LocalDense : SpectrumMethod.RedfieldDense, options.Modes);
    }

    /// <summary>
    /// The Bohr sector of a Bloch–Redfield eigenvector (column <paramref name="j"/> of <paramref name="vectors"/>, in
    /// the eigenbasis, column stacking): its weight Σ|v_k|² is summed over the coherences ρ_mn grouped by the Bohr
    /// frequency ν = Ē_m − Ē_n of (m, n), and the sector with the largest weight is returned (signed id) with all the
    /// weights (index id + PositiveCount). Ties within 1e-9 (an overdamped coherence pair has equal weight on ν and
    /// −ν) go to the smallest |ν|, then to ν &gt; 0.
    /// </summary>
    /// <param name="dm">The decomposed model.</param>
    /// <param name="vectors">Eigenvectors of the d²×d² generator in the eigenbasis.</param>
    /// <param name="j">The column.</param>
    /// <param name="byFrequency">All signed ids ordered by |ν|, then ν &gt; 0 first (the tie-break order).</param>
    internal static (int Id, double[] Weights) DominantSector(EnergyBasisModel dm, Matrix<Complex> vectors, int j, int[] byFrequency)
    {
        int d = dm.Dimension, p = dm.Bohr.PositiveCount;
        var weights = new double[2 * p + 1];
        for (int k = 0; k < d * d; k++)
        {
            int m = k % d, n = k / d;
            double mag = vectors[k, j].Magnitude;
            weights[dm.Bohr.Id(dm.Basis.LevelOf(n), dm.Basis.LevelOf(m)) + p] += mag * mag;
        }
        double max = weights.Max();
        int best = 0;
        bool found = false;
        foreach (int id in byFrequency)
            if (weights[id + p] >= (1 - 1e-9) * max)
            {
                best = id;
                found = true;
                break;
            }
        return (found ? best : 0, weights);
    }
}

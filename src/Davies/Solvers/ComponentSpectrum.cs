using Davies.Generators;
using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// The spectrum of a Davies generator with large degenerate levels, block by block of the invariant components of its
/// Bohr sectors (<see cref="SectorComponents"/>), never as dense sector matrices. Every block gets a rigorous lower
/// bound on its decay rates (<see cref="SparseSectorMatrix.DecayLowerBound"/>); blocks are then taken in order of
/// their bound, and a block is skipped once its bound exceeds the <see cref="SpectrumOptions.Modes"/>-th slowest decay
/// found so far (so the gap, the slowest modes, the kernel and the persistent oscillations are those of the whole
/// generator). A block is diagonalised densely when small; a larger block whose KMS-weighted form T⁻¹MT is a
/// Hermitian matrix plus a constant imaginary shift (detailed balance, Lamb shift constant on the block) gets its
/// slowest eigenvalues by Lanczos; any other large block densely up to <see cref="DenseLimit"/>.
/// Identical blocks (spectator copies) are diagonalised once.
/// </summary>
internal static class ComponentSpectrum
{
    /// <summary>Blocks up to this size are diagonalised densely.</summary>
    internal const int DenseLimit = 512;

    /// <summary>Largest non-normal block diagonalised densely.</summary>
    internal const int DenseFallbackLimit = 2048;

    /// <param name="gen">The generator.</param>
    /// <param name="options">Modes, Full, backend (null: the model's), progress and cancellation.</param>
    /// <param name="kmsWeights">Per eigenvector, positive weights for the bounds and the KMS form.</param>
    /// <param name="denseLimit">Blocks up to this size are diagonalised densely (tests lower it to exercise Lanczos).</param>
    /// <param name="denseHermitianLimit">KMS-normal blocks up to this size get all eigenvalues densely.</param>
    public static SpectrumResult Compute(DaviesGenerator gen, SpectrumOptions options, double[] kmsWeights,
        int denseLimit = DenseLimit, int denseHermitianLimit = DenseHermitianLimit)
    {
        var dm = gen.Model;
        var backend = options.BackendFor(dm);
        var run = options.Stages;
        var cancel = run.Cancellation;
        var progress = run.Progress;
        long d2 = (long)dm.Dimension * dm.Dimension;
        long nnz = Spectral.SparseCouplings.CountNonZeros(dm.Jumps);
        MemoryBudget.Require(Spectral.SparseCouplings.EstimateBytes(nnz, dm.Jumps.Count, dm.Dimension) + 16.0 * d2,
            $"the spectrum block by block ({d2} coherences, {nnz} non-zero coupling entries)");
        run.Start("invariant blocks of the Bohr sectors");
        var comps = SectorComponents.Build(gen, sector0: false, cancel);
        var sectorOf = gen.SectorOfElementTable;
        var sectors = gen.Sectors;
        int count = comps.Count;
        run.Start($"block decay bounds ({count} blocks)");
        var bound = new double[count];
        var diagScale = new double[count];
        var all = new List<SpectralMode>();
        var cache = new Dictionary<BlockKey, Complex[]>();
        var small = new Complex[count][];
        var pendingFlags = new bool[count];
        // Independent per block: in parallel (each block's matrix is assembled, bounded and dropped).
        Parallel.For(0, count, DenseKernels.Threads(cancel), c =>
        {
            var m = comps.Matrix(c);
            if (m.Dimension <= 2)
            {
                small[c] = Small(m);
                return;
            }
            bound[c] = m.DecayLowerBound(comps.Weights(c, kmsWeights));
            double dmax = 0;
            foreach (var z in m.Diagonal()) dmax = Math.Max(dmax, z.Magnitude);
            diagScale[c] = dmax;
            pendingFlags[c] = true;
        });
        var pending = new List<int>();
        for (int c = 0; c < count; c++)
        {
            if (pendingFlags[c]) pending.Add(c);
            else
            {
                double nu = sectors[sectorOf[comps.Elements(c)[0]]].Frequency;
                foreach (var z in small[c]) all.Add(new SpectralMode(z, nu));
            }
        }
        pending.Sort((a, b) => bound[a].CompareTo(bound[b]));

        double scaleSoFar = Math.Max(all.Select(x => x.Eigenvalue.Magnitude).DefaultIfEmpty(0).Max(), diagScale.DefaultIfEmpty(0).Max());
        double zero = Propagator.ZeroRelative * Math.Max(scaleSoFar, double.Epsilon);
        int modes = Math.Max(options.Modes, 1);
        // the decays found so far (> zero), kept sorted to read the Modes-th slowest
        var decays = new List<double>(all.Select(x => -x.Eigenvalue.Real).Where(x => x > zero));
        decays.Sort();
        double Threshold() => options.Full || decays.Count < modes ? double.PositiveInfinity : decays[modes - 1];
        int skipped = 0, done = 0;
        double skippedScale = 0;
        run.Start($"blocks 0 % ({pending.Count} to bound or diagonalise)");
        int reported = 0;
        foreach (int c in pending)
        {
            cancel.ThrowIfCancellationRequested();
            int percent = (int)(100L * ++done / pending.Count);
            if (progress is not null && percent >= reported + 10)
            {
                reported = percent;
                progress.Report($"blocks {percent} %");
            }
            double t = Threshold();
            if (bound[c] > zero && bound[c] > t + 1e-9 * Math.Max(t, scaleSoFar))
            {
                skipped++;
                skippedScale = Math.Max(skippedScale, 2 * diagScale[c]);
                continue;
            }
            var m = comps.Matrix(c);
            double nu = sectors[sectorOf[comps.Elements(c)[0]]].Frequency;
            var key = new BlockKey(m, comps.IsPopulation(c) ? [1] : [0]);
            if (!cache.TryGetValue(key, out var values))
            {
                values = Eigenvalues(m, comps.Weights(c, kmsWeights), modes, options.Full, comps.IsPopulation(c), denseLimit,
                    denseHermitianLimit, backend, cancel);
                cache[key] = values;
            }
            foreach (var z in values)
            {
                all.Add(new SpectralMode(z, nu));
                double decay = -z.Real;
                if (decay > zero)
                {
                    int at = decays.BinarySearch(decay);
                    decays.Insert(at < 0 ? ~at : at, decay);
                }
            }
        }
        double scale = Math.Max(all.Select(x => x.Eigenvalue.Magnitude).DefaultIfEmpty(0).Max(), skippedScale);
        if (scale == 0) scale = 1;
        double z0 = Propagator.ZeroRelative * scale;
        double popGap = all.Where(x => x.BohrFrequency == 0 && -x.Eigenvalue.Real > z0).Select(x => -x.Eigenvalue.Real).DefaultIfEmpty(0).Min();
        return new SpectrumResult(dm, all, scale, popGap, null, null, SpectrumMethod.Blocks, options.Modes) { SkippedSectors = skipped };
    }

    // Eigenvalues of a 1×1 or 2×2 block in closed form.
    private static Complex[] Small(SparseSectorMatrix m)
    {
        var a = m.ToDense();
        if (a.RowCount == 1) return [a[0, 0]];
        Complex tr = a[0, 0] + a[1, 1], half = 0.5 * (a[0, 0] - a[1, 1]);
        var root = Complex.Sqrt(half * half + a[0, 1] * a[1, 0]);
        return [0.5 * tr + root, 0.5 * tr - root];
    }

    // All eigenvalues (dense), or the slowest `modes` of a large KMS-normal block (Lanczos).
    /// <summary>KMS-normal blocks up to this size get all their eigenvalues densely (larger: the slowest by Lanczos).</summary>
    internal const int DenseHermitianLimit = 1024;

    /// <summary>Population blocks up to this size are diagonalised densely (exact kernel).</summary>
    internal const int DensePopulationLimit = 8192;

    private static Complex[] Eigenvalues(SparseSectorMatrix m, double[] t, int modes, bool full, bool population, int denseLimit,
        int denseHermitianLimit, ILinearAlgebraBackend backend, CancellationToken cancel)
    {
        int n = m.Dimension;
        if (n <= denseLimit || (full && n <= DenseFallbackLimit)) return DenseEigenvalues(m, backend);
        if (KmsNormal(m, t, out var shift) is { } h)
        {
            // Dense Hermitian eigenvalues (every multiplicity) for population blocks, whose kernel must be counted
            // exactly, and for moderate sizes; Lanczos for the slowest modes of larger blocks.
            if (population ? n <= DensePopulationLimit : n <= denseHermitianLimit || full)
            {
                var dense = h.ToDense();
                dense = 0.5 * (dense + dense.ConjugateTranspose());
                double[] ev = Spectral.EigenBasis.IsReal(dense) ? backend.EigenvaluesSymmetric(dense.Map(z => z.Real)) : backend.EigenHermitian(dense).Values;
                return ev.Select(v => new Complex(v, shift)).ToArray();
            }
            var (values, _) = Krylov.LanczosLargest(h.Multiply, n, modes, 1e-10, cancellation: cancel);
            return values.Select(v => new Complex(v, shift)).ToArray();
        }
        if (n <= DenseFallbackLimit) return DenseEigenvalues(m, backend);
        throw new ResourceLimitException(
            $"a block of {n} coherences of the generator is neither small nor of detailed-balance form (a Lamb shift that varies inside it, or several temperatures); diagonalising it densely needs {Bytes.Format(16.0 * n * n * 4)}");
    }

    private static Complex[] DenseEigenvalues(SparseSectorMatrix m, ILinearAlgebraBackend backend) =>
        Spectrum.SectorEigenvalues(m.ToDense(), backend);

    /// <summary>
    /// When A = T⁻¹ M T (T = diag t) equals H + i c 𝟙 with H Hermitian and c real (to 1e-12 relative), the Hermitian
    /// part H as a sparse matrix (then λ(M) = λ(H) + i c); otherwise null.
    /// </summary>
    internal static SparseSectorMatrix? KmsNormal(SparseSectorMatrix m, double[] t, out double shift)
    {
        int n = m.Dimension;
        shift = 0;
        var values = new Complex[m.NonZeros];
        double max = 0;
        for (int r = 0; r < n; r++)
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
            {
                values[k] = m.Values[k] * (t[m.Columns[k]] / t[r]);
                max = Math.Max(max, values[k].Magnitude);
            }
        double tol = 1e-12 * Math.Max(max, double.Epsilon);
        bool first = true;
        var lookup = new Dictionary<long, Complex>(m.NonZeros);
        for (int r = 0; r < n; r++)
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++) lookup[(long)r * n + m.Columns[k]] = values[k];
        for (int r = 0; r < n; r++)
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
            {
                int c = m.Columns[k];
                if (c == r)
                {
                    if (first)
                    {
                        shift = values[k].Imaginary;
                        first = false;
                    }
                    else if (Math.Abs(values[k].Imaginary - shift) > tol) return null;
                    continue;
                }
                var other = lookup.GetValueOrDefault((long)c * n + r);
                if ((values[k] - Complex.Conjugate(other)).Magnitude > tol) return null;
            }
        if (first) shift = 0;
        // H = A − i c 𝟙 (rows without a stored diagonal have A_rr = 0, so H_rr = −i c: not Hermitian unless c = 0)
        for (int r = 0; r < n; r++)
        {
            bool hasDiagonal = false;
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
                if (m.Columns[k] == r)
                {
                    hasDiagonal = true;
                    values[k] = new Complex(values[k].Real, 0);
                }
            if (!hasDiagonal && Math.Abs(shift) > tol) return null;
        }
        return new SparseSectorMatrix(n, m.RowStart, m.Columns, values);
    }
}

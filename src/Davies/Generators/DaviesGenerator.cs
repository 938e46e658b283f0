using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The Davies (partial-secular) generator in GKLS form,
/// L(ρ) = −i[H_S + H_LS, ρ] + Σ_b Σ_α Σ_ω G_b(ω) (S_α(ω) ρ S_α(ω)† − ½{S_α(ω)†S_α(ω), ρ}),
/// with S_α(ω) = Σ_{Ē_m−Ē_n=ω} Π_n S_α Π_m and H_LS = Σ_b Σ_α Σ_ω S_b(ω) S_α(ω)†S_α(ω), held in the eigenbasis
/// sector by sector: it maps a coherence between levels with Bohr frequency ν only onto coherences with the same ν.
/// Nothing d²×d² is ever formed. The per-level blocks of K_b = Σ_α Σ_ω G_b(ω) S_α(ω)†S_α(ω) and of H_LS,b are
/// computed once.
/// </summary>
public sealed partial class DaviesGenerator
{

    /// <summary>Builds the generator of a decomposed model (the per-level blocks are formed on first use).</summary>
    public DaviesGenerator(EnergyBasisModel model)
    {
        Model = model;
        PopulationSpace = new PopulationSectorSpace(model.Basis);
    }

    private Matrix<Complex>[][] KBlocks => Blocks.K;

    private Matrix<Complex>[][] LambBlocks => Blocks.Lamb;

    // The K and H_LS level blocks [bath][level], built once per decomposed model (thread-safe) and shared by every
    // generator of it. A spectrum at scale whose coherence sectors are all settled by bounds never needs them.
    private (Matrix<Complex>[][] K, Matrix<Complex>[][] Lamb) Blocks =>
        ((Matrix<Complex>[][], Matrix<Complex>[][]))Model.GeneratorBlocks(() =>
        {
            int nb = Model.OpenSystem.Baths.Count, L = Basis.Levels.Count;
            var k = new Matrix<Complex>[nb][];
            var lamb = new Matrix<Complex>[nb][];
            for (int b = 0; b < nb; b++)
            {
                k[b] = new Matrix<Complex>[L];
                lamb[b] = new Matrix<Complex>[L];
                for (int I = 0; I < L; I++)
                {
                    // large degenerate levels of a structured basis: sparse blocks (K is often diagonal there)
                    int dI = Basis.Levels[I].Count;
                    bool sparse = dI > SparseLevelMinimum && Basis.Permutation is not null;
                    k[b][I] = sparse ? Matrix<Complex>.Build.Sparse(dI, dI) : Matrix<Complex>.Build.Dense(dI, dI);
                    lamb[b][I] = sparse ? Matrix<Complex>.Build.Sparse(dI, dI) : Matrix<Complex>.Build.Dense(dI, dI);
                }
            }
            BuildBlocks(k, lamb);
            return (k, lamb);
        });

    /// <summary>Levels larger than this get sparse K and H_LS blocks when the eigenbasis is a permuted site basis.</summary>
    internal const int SparseLevelMinimum = 64;

    /// <summary>The decomposed model.</summary>
    public EnergyBasisModel Model { get; }

    /// <summary>The ν = 0 sector.</summary>
    public PopulationSectorSpace PopulationSpace { get; }

    private EigenBasis Basis => Model.Basis;

    // K_{b,I} = Σ_α Σ_N G_b(ω(N,I)) A_{NI}† A_{NI};  H_LS likewise with S_b.
    private void BuildBlocks(Matrix<Complex>[][] kBlocks, Matrix<Complex>[][] lambBlocks)
    {
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count;
        if (L == d)
        {
            // Non-degenerate: 1×1 blocks, K_I = Σ_N G(ω_NI) |A_NI|² (H_LS likewise), one column of A per level. Per
            // level and rate table, G and S along row I of the id table (contiguous, Id(N, I) = −Id(I, N)) are
            // gathered once and shared by every coupling of that table; the ω = 0 term (whose rate may be unset) is
            // added only where the coupling's diagonal block is non-negligible.
            var groups = CouplingsByTable(null);
            int P = Model.Bohr.PositiveCount;
            Parallel.For(0, L, () => (G: new double[d], S: new double[d]), (I, _, buf) =>
            {
                foreach (var (rates, lamb, cs) in groups)
                {
                    Gather(I, rates, buf.G);
                    Gather(I, lamb, buf.S);
                    foreach (int c in cs)
                    {
                        var a = Model.Couplings[c];
                        double kd = WeightedSquares(buf.G, a, I), hd = WeightedSquares(buf.S, a, I);
                        if (Model.BlockNonZero[c][I * L + I])
                        {
                            double x = a.Norm2(I + I * d);
                            kd += rates[P] * x;
                            hd += lamb[P] * x;
                        }
                        int b = Model.BathOf[c];
                        kBlocks[b][I][0, 0] += kd;
                        lambBlocks[b][I][0, 0] += hd;
                    }
                }
                return buf;
            }, _ => { });
            return;
        }
        // Degenerate: (A_NI† A_NI)[i, j] = Σ_{n ∈ N} A[i, n] conj(A[j, n]) (A is Hermitian), read from the exact non-zeros
        // of each column n: O(Σ_n nnz(column n)²) per coupling, the dense amount of work only for dense columns.
        var sparse = Model.Sparse;
        int[] levelOf = Enumerable.Range(0, d).Select(Basis.LevelOf).ToArray();
        for (int c = 0; c < Model.CouplingCount; c++)
        {
            int b = Model.BathOf[c];
            for (int n = 0; n < d; n++)
            {
                int N = levelOf[n];
                var rows = sparse.Rows(c, n);
                var vals = sparse.Values(c, n);
                for (int r0 = 0; r0 < rows.Length;)
                {
                    int I = levelOf[rows[r0]], r1 = r0 + 1;
                    while (r1 < rows.Length && levelOf[rows[r1]] == I) r1++;
                    int id = Model.Bohr.Id(N, I);
                    double g = Model.Rate(b, id), sh = Model.LambShift(b, id);
                    int s0 = levels[I].Start;
                    var k = kBlocks[b][I];
                    var h = lambBlocks[b][I];
                    for (int x = r0; x < r1; x++)
                        for (int y = r0; y < r1; y++)
                        {
                            var acc = vals[x] * Complex.Conjugate(vals[y]);
                            int i = rows[x] - s0, j = rows[y] - s0;
                            if (g != 0) k[i, j] += g * acc;
                            if (sh != 0) h[i, j] += sh * acc;
                        }
                    r0 = r1;
                }
            }
        }
    }

    /// <summary>The largest total decay rate max_I ‖Σ_b K_b,I‖_F (a scale of the dissipator).</summary>
    public double DecayScale()
    {
        double max = 0;
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var sum = KBlocks[0][I].Clone();
            for (int b = 1; b < KBlocks.Length; b++) sum += KBlocks[b][I];
            max = Math.Max(max, sum.FrobeniusNorm());
        }
        return max;
    }

    /// <summary>The Lamb-shift Hamiltonian H_LS in the eigenbasis (block-diagonal over levels).</summary>
    public Matrix<Complex> LambShiftHamiltonian()
    {
        int d = Basis.Dimension;
        var m = Matrix<Complex>.Build.Dense(d, d);
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            for (int b = 0; b < LambBlocks.Length; b++)
                m.SetSubMatrix(l.Start, l.Start, m.SubMatrix(l.Start, l.Count, l.Start, l.Count) + LambBlocks[b][I]);
        }
        return m;
    }

    /// <summary>Eigenvalues of H_S + H_LS, ascending (equal to the energies without Lamb shift).</summary>
    public double[] ShiftedEnergies()
    {
        var result = new List<double>(Basis.Dimension);
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            var h = Matrix<Complex>.Build.Dense(l.Count, l.Count);
            for (int i = 0; i < l.Count; i++) h[i, i] = Basis.Energies[l.Start + i];
            for (int b = 0; b < LambBlocks.Length; b++) h += LambBlocks[b][I];
            if (l.Count == 1) result.Add(h[0, 0].Real);
            else
            {
                // block by block of the level's sparsity graph (a diagonal H_LS costs nothing)
                h = 0.5 * (h + h.ConjugateTranspose());
                foreach (var comp in Solvers.BlockSplitting.Components(h))
                {
                    if (comp.Length == 1) result.Add(h[comp[0], comp[0]].Real);
                    else
                    {
                        var sub = Solvers.BlockSplitting.Sub(h, comp);
                        result.AddRange(sub.RowCount <= 64
                            ? sub.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real)
                            : Model.Backend.EigenHermitian(sub).Values);
                    }
                }
            }
        }
        result.Sort();
        return result.ToArray();
    }

    /// <summary>
    /// The generator restricted to the ν = 0 sector, as an n₀×n₀ matrix in <see cref="PopulationSpace"/> coordinates.
    /// <paramref name="baths"/> selects the baths whose dissipators are included (all when null);
    /// <paramref name="includeHamiltonian"/> adds −i[H_S + H_LS, ·] (H_LS of the selected baths).
    /// </summary>
    public Matrix<Complex> PopulationSectorMatrix(IReadOnlyCollection<int>? baths = null, bool includeHamiltonian = true)
    {
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count, n0 = PopulationSpace.Dimension;
        var m = Matrix<Complex>.Build.Dense(n0, n0);
        bool Use(int b) => baths is null || baths.Contains(b);

        // jump terms: G(ω(I,J)) A_{IJ} ρ_J A_{IJ}†, entry [(i,i') ← (j,j')] = G A[i,j] conj(A[i',j'])
        for (int c = 0; c < Model.CouplingCount; c++)
        {
            int b = Model.BathOf[c];
            if (!Use(b)) continue;
            var a = Model.Couplings[c];
            var nz = Model.BlockNonZero[c];
            for (int I = 0; I < L; I++)
                for (int J = 0; J < L; J++)
                {
                    if (!nz[I * L + J]) continue;
                    double g = Model.Rate(b, Model.Bohr.Id(I, J));
                    if (g == 0) continue;
                    var li = levels[I];
                    var lj = levels[J];
                    for (int i2 = 0; i2 < li.Count; i2++)
                        for (int i = 0; i < li.Count; i++)
                        {
                            int row = PopulationSpace.Index(I, i, i2);
                            for (int j2 = 0; j2 < lj.Count; j2++)
                                for (int j = 0; j < lj.Count; j++)
                                {
                                    var v = a[li.Start + i + (lj.Start + j) * d] * Complex.Conjugate(a[li.Start + i2 + (lj.Start + j2) * d]);
                                    m[row, PopulationSpace.Index(J, j, j2)] += g * v;
                                }
                        }
                }
        }

        // −½{K, ρ} − i[H, ρ] = −(½K + iH) ρ − ρ (½K − iH) within each level block
        for (int I = 0; I < L; I++)
        {
            var l = levels[I];
            int dI = l.Count;
            var left = Matrix<Complex>.Build.Dense(dI, dI);
            var right = Matrix<Complex>.Build.Dense(dI, dI);
            for (int b = 0; b < KBlocks.Length; b++)
            {
                if (!Use(b)) continue;
                left += 0.5 * KBlocks[b][I];
                right += 0.5 * KBlocks[b][I];
                if (includeHamiltonian)
                {
                    left += Complex.ImaginaryOne * LambBlocks[b][I];
                    right -= Complex.ImaginaryOne * LambBlocks[b][I];
                }
            }
            if (includeHamiltonian)
                for (int i = 0; i < dI; i++)
                {
                    left[i, i] += Complex.ImaginaryOne * Basis.Energies[l.Start + i];
                    right[i, i] -= Complex.ImaginaryOne * Basis.Energies[l.Start + i];
                }
            for (int i2 = 0; i2 < dI; i2++)
                for (int i = 0; i < dI; i++)
                {
                    int row = PopulationSpace.Index(I, i, i2);
                    for (int j = 0; j < dI; j++)
                    {
                        m[row, PopulationSpace.Index(I, j, i2)] -= left[i, j];
                        m[row, PopulationSpace.Index(I, i, j)] -= right[j, i2];
                    }
                }
        }
        return m;
    }

    /// <summary>
    /// From this ν = 0 dimension on a degenerate H_S is handled block by block (<see cref="SectorComponents"/>): the
    /// steady state, the matrix-free <see cref="ApplyPopulationSector"/>. Below it the dense sector matrix is used.
    /// </summary>
    internal const int StructuredPopulationSectorMinimum = 256;

    private SectorComponents? _sector0Structure;

    /// <summary>
    /// L(x) for a ν = 0 operator in <see cref="PopulationSpace"/> coordinates, applied block by block without forming the
    /// n₀×n₀ matrix (O(Σ_IJ d_I² d_J²) per coupling; O(d²) per coupling for a non-degenerate H_S).
    /// </summary>
    public Vector<Complex> ApplyPopulationSector(Vector<Complex> x)
    {
        if (!Basis.IsNonDegenerate && PopulationSpace.Dimension > StructuredPopulationSectorMinimum)
        {
            // Large degenerate levels: row by row from the couplings' non-zeros (O(Σ nnz) for a permuted site basis).
            var structure = LazyInitializer.EnsureInitialized(ref _sector0Structure, () => SectorComponents.Structure(this, sector0: true));
            var xs = x.AsArray() ?? x.ToArray();
            var ys = new Complex[PopulationSpace.Dimension];
            structure.Apply(xs, ys);
            return Vector<Complex>.Build.Dense(ys);
        }
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count;
        var y = Vector<Complex>.Build.Dense(PopulationSpace.Dimension);
        for (int c = 0; c < Model.CouplingCount; c++)
        {
            int b = Model.BathOf[c];
            var a = Model.Couplings[c];
            var nz = Model.BlockNonZero[c];
            for (int I = 0; I < L; I++)
            {
                var li = levels[I];
                for (int J = 0; J < L; J++)
                {
                    if (!nz[I * L + J]) continue;
                    double g = Model.Rate(b, Model.Bohr.Id(I, J));
                    if (g == 0) continue;
                    var lj = levels[J];
                    for (int i2 = 0; i2 < li.Count; i2++)
                        for (int i = 0; i < li.Count; i++)
                        {
                            Complex acc = 0;
                            for (int j2 = 0; j2 < lj.Count; j2++)
                                for (int j = 0; j < lj.Count; j++)
                                    acc += a[li.Start + i + (lj.Start + j) * d] * x[PopulationSpace.Index(J, j, j2)]
                                           * Complex.Conjugate(a[li.Start + i2 + (lj.Start + j2) * d]);
                            y[PopulationSpace.Index(I, i, i2)] += g * acc;
                        }
                }
            }
        }
        for (int I = 0; I < L; I++)
        {
            var l = levels[I];
            int dI = l.Count;
            for (int i2 = 0; i2 < dI; i2++)
                for (int i = 0; i < dI; i++)
                {
                    Complex acc = 0;
                    for (int j = 0; j < dI; j++)
                    {
                        Complex kij = 0, kj2 = 0, hij = 0, hj2 = 0;
                        for (int b = 0; b < KBlocks.Length; b++)
                        {
                            kij += KBlocks[b][I][i, j];
                            kj2 += KBlocks[b][I][j, i2];
                            hij += LambBlocks[b][I][i, j];
                            hj2 += LambBlocks[b][I][j, i2];
                        }
                        if (i == j) hij += Basis.Energies[l.Start + i];
                        if (j == i2) hj2 += Basis.Energies[l.Start + j];
                        acc -= (0.5 * kij + Complex.ImaginaryOne * hij) * x[PopulationSpace.Index(I, j, i2)];
                        acc -= x[PopulationSpace.Index(I, i, j)] * (0.5 * kj2 - Complex.ImaginaryOne * hj2);
                    }
                    y[PopulationSpace.Index(I, i, i2)] += acc;
                }
        }
        return y;
    }

    /// <summary>
    /// The classical Pauli rate matrix W (d×d, real) for a non-degenerate H_S: dp/dt = W p, with
    /// W[n, m] = Σ_α G(E_m − E_n) |⟨n|S_α|m⟩|² for n ≠ m and columns summing to zero.
    /// </summary>
    public Matrix<double> PauliMatrix(IReadOnlyCollection<int>? baths = null) =>
        baths is null ? Model.PauliMatrix(() => BuildPauliMatrix(null)).Clone() : BuildPauliMatrix(baths);

    /// <summary>
    /// The Pauli matrix of all baths, built once per decomposed model and shared by the steady state and the spectrum
    /// (read-only: callers must not modify it).
    /// </summary>
    internal Matrix<double> SharedPauliMatrix() => Model.PauliMatrix(() => BuildPauliMatrix(null));

    private Matrix<double> BuildPauliMatrix(IReadOnlyCollection<int>? baths)
    {
        if (!Basis.IsNonDegenerate) throw new InvalidOperationException("the Pauli rate matrix needs a non-degenerate spectrum");
        int d = Basis.Dimension;
        var w = LargeArrays.Zeroed<double>((long)d * d);
        var groups = CouplingsByTable(baths);
        // Column m of W: the rates along row m of the id table (Id(n, m) = −Id(m, n)) gathered once per rate table,
        // then |A_c[n, m]|² of each coupling read down its contiguous column; negligible blocks are stored as zeros.
        Parallel.For(0, d, () => new double[d], (m, _, g) =>
        {
            var col = w.AsSpan((int)((long)m * d), d);
            foreach (var (rates, _, cs) in groups)
            {
                Gather(m, rates, g);
                foreach (int c in cs) AddWeightedSquares(g, Model.Couplings[c], m, col);
            }
            double out_ = 0;
            for (int n = 0; n < d; n++) out_ += col[n]; // col[m] is still 0 (no ω = 0 term)
            col[m] = -out_;
            return g;
        }, _ => { });
        return Matrix<double>.Build.Dense(d, d, w);
    }

    // The couplings (of the selected baths) grouped by their baths' rate and Lamb-shift tables (identical baths share
    // one array).
    private List<(double[] Rates, double[] Lamb, List<int> Couplings)> CouplingsByTable(IReadOnlyCollection<int>? baths)
    {
        var groups = new List<(double[] Rates, double[] Lamb, List<int> Couplings)>();
        for (int c = 0; c < Model.CouplingCount; c++)
        {
            int b = Model.BathOf[c];
            if (baths is not null && !baths.Contains(b)) continue;
            double[] rates = Model.RateTable(b), lamb = Model.LambTable(b);
            int k = groups.FindIndex(x => ReferenceEquals(x.Rates, rates) && ReferenceEquals(x.Lamb, lamb));
            if (k < 0) groups.Add((rates, lamb, [c]));
            else groups[k].Couplings.Add(c);
        }
        return groups;
    }

    // target[n] = table(ω_nm) = table[P − Id(m, n)] for n ≠ m (row m of the id table), target[m] = 0.
    private void Gather(int m, double[] table, double[] target)
    {
        int p = Model.Bohr.PositiveCount, d = target.Length;
        for (int n = 0; n < d; n++) target[n] = table[p - Model.Bohr.Id(m, n)];
        target[m] = 0;
    }

    // Σ_n g[n] |A[n, m]|² over column m.
    private static double WeightedSquares(double[] g, CouplingMatrix a, int m)
    {
        int d = g.Length;
        double sum = 0;
        if (a.RealData is { } re)
        {
            var col = re.AsSpan((int)((long)m * d), d);
            int i = 0;
            if (System.Numerics.Vector.IsHardwareAccelerated && d >= System.Numerics.Vector<double>.Count)
            {
                var acc = System.Numerics.Vector<double>.Zero;
                for (; i <= d - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
                {
                    var x = new System.Numerics.Vector<double>(col[i..]);
                    acc += new System.Numerics.Vector<double>(g.AsSpan(i)) * x * x;
                }
                sum = System.Numerics.Vector.Sum(acc);
            }
            for (; i < d; i++) sum += g[i] * col[i] * col[i];
            return sum;
        }
        for (int n = 0; n < d; n++) sum += g[n] * a.Norm2(n + m * d);
        return sum;
    }

    // y[n] += g[n] |A[n, m]|² over column m.
    private static void AddWeightedSquares(double[] g, CouplingMatrix a, int m, Span<double> y)
    {
        int d = g.Length;
        if (a.RealData is { } re)
        {
            var col = re.AsSpan((int)((long)m * d), d);
            int i = 0;
            if (System.Numerics.Vector.IsHardwareAccelerated && d >= System.Numerics.Vector<double>.Count)
                for (; i <= d - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
                {
                    var x = new System.Numerics.Vector<double>(col[i..]);
                    (new System.Numerics.Vector<double>(y[i..]) + new System.Numerics.Vector<double>(g.AsSpan(i)) * x * x).CopyTo(y[i..]);
                }
            for (; i < d; i++) y[i] += g[i] * col[i] * col[i];
            return;
        }
        for (int n = 0; n < d; n++) y[n] += g[n] * a.Norm2(n + m * d);
    }

    /// <summary>The heat currents of all baths (<see cref="HeatCurrent"/>), indexed by bath.</summary>
    internal double[] HeatCurrents(Vector<Complex> x) =>
        Basis.IsNonDegenerate
            ? PopulationCurrents(x, null)
            : Enumerable.Range(0, Model.OpenSystem.Baths.Count).Select(b => HeatCurrent(b, x)).ToArray();

    // Non-degenerate H_S, from the populations only: J_b = Σ_{c of b} Σ_m p_m Σ_{n≠m} G_b(ω_nm) |A_nm|² (E_n − E_m), for
    // the selected baths (all when null), indexed by bath. Per column m, G(ω_nm)(E_n − E_m) is gathered once per rate
    // table and each coupling's contiguous column is read once.
    private double[] PopulationCurrents(Vector<Complex> x, IReadOnlyCollection<int>? baths)
    {
        int d = Basis.Dimension, nb = Model.OpenSystem.Baths.Count;
        var e = Basis.Energies;
        var xs = x.AsArray() ?? x.ToArray();
        var groups = CouplingsByTable(baths);
        var total = new double[nb];
        var gate = new object();
        var columns = new ParallelOptions { MaxDegreeOfParallelism = d >= 256 ? -1 : 1 };
        Parallel.For(0, d, columns, () => (G: new double[d], J: new double[nb]), (m, _, buf) =>
        {
            double pm = xs[PopulationSpace.Index(m, 0, 0)].Real;
            if (pm == 0) return buf;
            foreach (var (rates, _, cs) in groups)
            {
                Gather(m, rates, buf.G);
                for (int n = 0; n < d; n++) buf.G[n] *= e[n] - e[m];
                foreach (int c in cs) buf.J[Model.BathOf[c]] += pm * WeightedSquares(buf.G, Model.Couplings[c], m);
            }
            return buf;
        }, buf =>
        {
            lock (gate)
                for (int b = 0; b < nb; b++) total[b] += buf.J[b];
        });
        return total;
    }

    /// <summary>
    /// Σ_I Ē_I Tr[(D_b ρ)_I] for a ν = 0 state given in sector coordinates: the heat current J_b = Tr[H_S D_b(ρ)]
    /// into the system from bath <paramref name="bath"/> (the Lamb-shift part commutes with H_S and drops out).
    /// </summary>
    public double HeatCurrent(int bath, Vector<Complex> x)
    {
        if (Basis.IsNonDegenerate) return PopulationCurrents(x, [bath])[bath];
        // Tr[(D_b ρ)_I] = Σ_α Σ_J G(ω_IJ) Tr[A_IJ ρ_J A_IJ†] − Tr[K_{b,I} ρ_I]; the ω = 0 term and its K part cancel in
        // the trace, and gain into level I with loss from level J carry the energy Ē_I − Ē_J. Row i of A is column i
        // conjugated, so Tr[A_IJ ρ_J A_IJ†] = Σ_{i ∈ I} Σ_{j, j′ ∈ J} conj(A[j, i]) ρ_jj′ A[j′, i] is read from the exact
        // non-zeros of each column i: O(Σ_i nnz(column i)²).
        var levels = Basis.Levels;
        int d = Basis.Dimension;
        var xs = x.AsArray() ?? x.ToArray();
        var sparse = Model.Sparse;
        double j = 0;
        for (int c = 0; c < Model.CouplingCount; c++)
        {
            if (Model.BathOf[c] != bath) continue;
            for (int i = 0; i < d; i++)
            {
                int I = Basis.LevelOf(i);
                var rows = sparse.Rows(c, i);
                var vals = sparse.Values(c, i);
                for (int r0 = 0; r0 < rows.Length;)
                {
                    int J = Basis.LevelOf(rows[r0]), r1 = r0 + 1;
                    while (r1 < rows.Length && Basis.LevelOf(rows[r1]) == J) r1++;
                    if (J != I)
                    {
                        double g = Model.Rate(bath, Model.Bohr.Id(I, J));
                        if (g != 0)
                        {
                            int sJ = levels[J].Start;
                            Complex tr = 0;
                            for (int p = r0; p < r1; p++)
                                for (int q = r0; q < r1; q++)
                                    tr += Complex.Conjugate(vals[p]) * xs[PopulationSpace.Index(J, rows[p] - sJ, rows[q] - sJ)] * vals[q];
                            j += g * tr.Real * (levels[I].Energy - levels[J].Energy);
                        }
                    }
                    r0 = r1;
                }
            }
        }
        return j;
    }
}

using Davies.LinearAlgebra;

namespace Davies.Spectral;

/// <summary>
/// One block of a jump operator: Π_To S_α Π_From, the part of coupling α that takes level <see cref="From"/> to level
/// <see cref="To"/>, a term of S_α(ω) with ω = Ē_From − Ē_To (ω &gt; 0 lowers the energy), with the rate G_b(ω) and
/// Lamb shift S_b(ω) of the coupling's bath b beside it.
/// </summary>
/// <param name="Coupling">Index of the coupling α over all baths (the order of the model's baths and their couplings).</param>
/// <param name="Bath">Index of the coupling's bath b.</param>
/// <param name="To">Level the block maps onto (its rows).</param>
/// <param name="From">Level the block maps from (its columns).</param>
/// <param name="FrequencyId">Signed id of the grouped Bohr frequency ω (see <see cref="BohrFrequencies"/>).</param>
/// <param name="Frequency">ω = Ē_From − Ē_To, as grouped.</param>
/// <param name="Rate">G_b(ω).</param>
/// <param name="LambShift">S_b(ω) (0 without Lamb shift).</param>
public readonly record struct JumpBlock(int Coupling, int Bath, int To, int From, int FrequencyId, double Frequency, double Rate, double LambShift);

/// <summary>
/// The jump operators of a model in the energy eigenbasis: for each coupling α (of bath b) the operators
/// S_α(ω) = Σ_{Ē_I − Ē_N = ω} Π_N S_α Π_I over the grouped Bohr frequencies ω, held as the eigenbasis coupling
/// A_α = V† S_α V cut into level blocks A_{NI}, with the rates G_b(ω) and Lamb shifts S_b(ω) tabulated over all Bohr
/// frequencies beside them. Every consumer (generator blocks, sector matrices, Pauli matrix, heat currents, bounds)
/// reads jump operators and rates from here.
/// A block whose Frobenius norm is below <see cref="EnergyBasisModel.NegligibleRelative"/> × max|A| is an exact zero,
/// so that selection rules exact in theory (e.g. a coupling with no ω = 0 part) are not broken by rounding; the
/// criterion is invariant under a change of basis inside degenerate levels.
/// The global master equation (jump operators from the eigenbasis of the whole H_S) is made by
/// <see cref="EnergyBasisModel.Build(Models.OpenSystemModel, ILinearAlgebraBackend?, IProgress{string}?, CancellationToken)"/>.
/// </summary>
public sealed class JumpOperators
{
    private readonly CouplingMatrix?[] _couplings;
    private readonly int[] _bathOf;
    private readonly BlockFlags[] _nonZero;
    private readonly double[] _maxNorm2;
    private readonly double[] _maxBlockNorm2;
    private readonly double[][] _rates;
    private readonly double[][] _lamb;
    private readonly int _p;
    private readonly int _levels;
    private readonly Lazy<SparseCouplings> _sparse;

    internal JumpOperators(EigenBasis basis, BohrFrequencies bohr, CouplingMatrix?[] couplings, int[] bathOf,
        BlockFlags[] nonZero, double[] maxNorm2, double[] maxBlockNorm2, double[][] rates, double[][] lamb, CouplingSource? source = null,
        StreamedSums? sums = null, CouplingMirrors? mirrors = null)
    {
        if (source is null && couplings.Any(c => c is null)) throw new ArgumentException("couplings not kept need a source to re-transform them", nameof(couplings));
        Basis = basis;
        Bohr = bohr;
        _couplings = couplings;
        _bathOf = bathOf;
        _nonZero = nonZero;
        _maxNorm2 = maxNorm2;
        _maxBlockNorm2 = maxBlockNorm2;
        _rates = rates;
        _lamb = lamb;
        _p = bohr.PositiveCount;
        _levels = basis.Levels.Count;
        Source = source;
        Streamed = sums;
        Mirrors = source?.Mirrors ?? mirrors;
        _sparse = new Lazy<SparseCouplings>(() => SparseCouplings.Build(this)); // built once, even under concurrent first use
    }

    /// <summary>The eigenbasis whose levels the blocks refer to.</summary>
    public EigenBasis Basis { get; }

    /// <summary>The grouped Bohr frequencies (ids of the blocks).</summary>
    public BohrFrequencies Bohr { get; }

    /// <summary>Number of couplings α over all baths.</summary>
    public int Count => _couplings.Length;

    /// <summary>Number of baths.</summary>
    public int BathCount => _rates.Length;

    /// <summary>The bath of coupling <paramref name="coupling"/>.</summary>
    public int Bath(int coupling) => _bathOf[coupling];

    /// <summary>G_b(ω) of bath <paramref name="bath"/> at the Bohr frequency with signed id <paramref name="id"/>.</summary>
    public double Rate(int bath, int id) => _rates[bath][id + _p];

    /// <summary>S_b(ω) of bath <paramref name="bath"/> (0 without Lamb shift) at the Bohr frequency with signed id.</summary>
    public double LambShift(int bath, int id) => _lamb[bath][id + _p];

    /// <summary>Whether coupling <paramref name="coupling"/> has a non-zero block from level <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool HasBlock(int coupling, int to, int from) => _nonZero[coupling][(long)to * _levels + from];

    /// <summary>
    /// The non-zero blocks of coupling <paramref name="coupling"/>, by target level then source level (O(L²) for L
    /// levels). The blocks with <see cref="JumpBlock.FrequencyId"/> = id together make S_α(ω_id).
    /// </summary>
    public IEnumerable<JumpBlock> Blocks(int coupling)
    {
        for (int to = 0; to < _levels; to++)
            foreach (var block in BlocksInto(coupling, to)) yield return block;
    }

    /// <summary>The non-zero blocks of coupling <paramref name="coupling"/> onto level <paramref name="to"/>, by source level.</summary>
    public IEnumerable<JumpBlock> BlocksInto(int coupling, int to)
    {
        var nz = _nonZero[coupling];
        int b = _bathOf[coupling];
        for (int from = 0; from < _levels; from++)
        {
            if (!nz[(long)to * _levels + from]) continue;
            int id = Bohr.Id(to, from);
            yield return new JumpBlock(coupling, b, to, from, id, Bohr.Value(id), _rates[b][id + _p], _lamb[b][id + _p]);
        }
    }

    /// <summary>
    /// The transitions (To, From) of coupling <paramref name="coupling"/> grouped by signed Bohr frequency id, ω ≠ 0 only:
    /// the level blocks that make up each S_α(ω).
    /// </summary>
    public IReadOnlyDictionary<int, List<(int To, int From)>> TransitionsByFrequency(int coupling)
    {
        var byOmega = new Dictionary<int, List<(int To, int From)>>();
        var nz = _nonZero[coupling];
        for (int to = 0; to < _levels; to++)
            for (int from = 0; from < _levels; from++)
            {
                if (to == from || !nz[(long)to * _levels + from]) continue; // ω = 0 blocks are diagonal in levels
                int w = Bohr.Id(to, from);
                if (!byOmega.TryGetValue(w, out var list)) byOmega[w] = list = [];
                list.Add((to, from));
            }
        return byOmega;
    }

    /// <summary>
    /// S_α(ω) for coupling <paramref name="coupling"/> at the Bohr frequency with signed id <paramref name="id"/>, as a
    /// d×d matrix in the eigenbasis: Σ_ω S_α(ω) = A_α and S_α(−ω) = S_α(ω)†.
    /// </summary>
    public Matrix<Complex> Operator(int coupling, int id)
    {
        int d = Basis.Dimension;
        var levels = Basis.Levels;
        var a = Matrix(coupling);
        var s = Matrix<Complex>.Build.Dense(d, d);
        foreach (var block in Blocks(coupling))
        {
            if (block.FrequencyId != id) continue;
            var ln = levels[block.To];
            var li = levels[block.From];
            for (int m = li.Start; m < li.Start + li.Count; m++)
                for (int n = ln.Start; n < ln.Start + ln.Count; n++) s[n, m] = a[n + m * d];
        }
        return s;
    }

    /// <summary>The coupling A_α = V† S_α V in the eigenbasis (after block cleaning): Σ over ω of <see cref="Operator"/>.</summary>
    public Matrix<Complex> Coupling(int coupling) =>
        Matrix<Complex>.Build.Dense(Basis.Dimension, Basis.Dimension, Matrix(coupling).ToComplexArray());

    /// <summary>
    /// The classical transition rates between groups of levels (the population transfer of the Davies generator):
    /// W[K, J] = (1/g_J) Σ_α Σ_{n ∈ K, m ∈ J} G_b(ω) |⟨n|A_α|m⟩|², ω = E_m − E_n, summed over every coupling α (bath
    /// b), with g_J the number of eigenstates in group J: the rate at which population spread evenly over the states of
    /// J flows into K. With each level its own group and a non-degenerate spectrum these are the off-diagonal entries
    /// of the Pauli rate matrix. Transitions inside a group are left out (W[J, J] = 0). Cost O(d²) per coupling.
    /// </summary>
    /// <param name="groupOfLevel">
    /// The group (0 … groups − 1) of each level of <see cref="Basis"/> (indices into <see cref="EigenBasis.Levels"/>);
    /// null: every level is its own group.
    /// </param>
    /// <returns>The groups × groups matrix W[to, from].</returns>
    /// <exception cref="ArgumentException">The grouping does not give one group ≥ 0 to every level.</exception>
    public double[,] TransitionRates(IReadOnlyList<int>? groupOfLevel = null)
    {
        int levels = Basis.Levels.Count, d = Basis.Dimension;
        if (groupOfLevel is not null && groupOfLevel.Count != levels)
            throw new ArgumentException($"the grouping has {groupOfLevel.Count} entries for {levels} levels", nameof(groupOfLevel));
        int groups = groupOfLevel is null ? levels : groupOfLevel.Count == 0 ? 0 : groupOfLevel.Max() + 1;
        if (groupOfLevel is not null && groupOfLevel.Any(g => g < 0))
            throw new ArgumentException("every level needs a group ≥ 0", nameof(groupOfLevel));
        var groupOfState = new int[d];
        var size = new int[groups];
        for (int k = 0; k < d; k++)
        {
            int level = Basis.LevelOf(k);
            groupOfState[k] = groupOfLevel is null ? level : groupOfLevel[level];
            size[groupOfState[k]]++;
        }
        var w = new double[groups, groups];
        for (int c = 0; c < Count; c++)
        {
            var a = Matrix(c);
            var nz = _nonZero[c];
            var table = _rates[_bathOf[c]];
            for (int m = 0; m < d; m++)
            {
                int lm = Basis.LevelOf(m), gm = groupOfState[m];
                for (int n = 0; n < d; n++)
                {
                    int ln = Basis.LevelOf(n), gn = groupOfState[n];
                    if (gn == gm || !nz[(long)ln * _levels + lm]) continue;
                    w[gn, gm] += table[Bohr.Id(ln, lm) + _p] * a.Norm2(n + m * d);
                }
            }
        }
        for (int j = 0; j < groups; j++)
            if (size[j] > 0)
                for (int k = 0; k < groups; k++) w[k, j] /= size[j];
        return w;
    }

    /// <summary>
    /// The coupling's eigenbasis array (column-major, A[n + m·d] = ⟨n|S|m⟩). When the build did not keep the couplings
    /// (<see cref="KeepsCouplings"/>), the coupling is transformed again on first use (cleaned with the same block flags,
    /// so it is the array the build saw) and kept from then on: consumers that need every coupling at once (sector
    /// matrices, degenerate spectra, the dense Liouvillian) work as before, at the memory of the kept build.
    /// </summary>
    internal CouplingMatrix Matrix(int coupling)
    {
        if (_couplings[coupling] is { } kept) return kept;
        lock (_couplings)
            return _couplings[coupling] ??= Source!.Transform(coupling);
    }

    /// <summary>
    /// Whether the build kept every coupling in the eigenbasis (false: a streaming build, for models whose couplings
    /// do not fit in memory; <see cref="EnergyBasisModel.KeepCouplingsBelow"/>).
    /// </summary>
    internal bool KeepsCouplings => Source is null;

    /// <summary>How many couplings are held in the eigenbasis now (all for a kept build; those asked for since, otherwise).</summary>
    internal int HeldCount => _couplings.Count(c => c is not null);

    /// <summary>How to transform the couplings again (null when the build kept them).</summary>
    internal CouplingSource? Source { get; }

    /// <summary>Which couplings are mirror images of which (null when not known: a build without them).</summary>
    internal CouplingMirrors? Mirrors { get; }

    /// <summary>The sums the streaming build took from each coupling before dropping it (null when kept, or degenerate).</summary>
    internal StreamedSums? Streamed { get; }

    /// <summary>The block flags of a coupling.</summary>
    internal BlockFlags NonZeroFlags(int coupling) => _nonZero[coupling];

    /// <summary>
    /// Visits every coupling once (in an order of the source's choosing when they were not kept: each transform
    /// followed by the images of its symmetry mirrors, signed in place), holding at most one transformed coupling
    /// that is not kept. The visitor must not keep the array. With <paramref name="wanted"/>, only the couplings it
    /// accepts are visited (a streaming pass then neither signs the images it skips nor transforms a group it skips).
    /// </summary>
    internal void ForEachCoupling(Action<int, CouplingMatrix> visit, CancellationToken cancel = default, Func<int, bool>? wanted = null)
    {
        if (Source is null || _couplings.All(c => c is not null))
        {
            for (int c = 0; c < Count; c++)
            {
                cancel.ThrowIfCancellationRequested();
                if (wanted is null || wanted(c)) visit(c, _couplings[c]!);
            }
            return;
        }
        Source.Stream(visit, c => _couplings[c], cancel, wanted);
    }

    /// <summary>max |A_nm|² over the coupling's eigenbasis entries.</summary>
    internal double MaxNorm2(int coupling) => _maxNorm2[coupling];

    /// <summary>
    /// max ‖Π_N A Π_I‖²_F over the coupling's level blocks: |A_nm|² at its largest for non-degenerate levels, and an upper
    /// bound of it in every eigenbasis otherwise (unchanged by a change of basis inside degenerate levels).
    /// </summary>
    internal double MaxBlockNorm2(int coupling) => _maxBlockNorm2[coupling];

    /// <summary>The table of G_b over the signed ids (index id + PositiveCount); identical baths share one array.</summary>
    internal double[] RateTable(int bath) => _rates[bath];

    /// <summary>The table of S_b over the signed ids (index id + PositiveCount); identical baths share one array.</summary>
    internal double[] LambTable(int bath) => _lamb[bath];

    private int[]? _classes;

    /// <summary>
    /// For each eigenvector, the class of the connected components of the graph joining n and m whenever some coupling has
    /// A_c[n, m] ≠ 0 (exact zeros after block cleaning): no jump ever leaves a class, so coherences (m, n) of different
    /// class pairs never mix (e.g. the two flip parities of couplings σx_i that keep it). Found on first use by a
    /// union-find over the couplings' entries that stops as soon as all eigenvectors are joined (couplings such as σz_i,
    /// which join everything, cost a few columns).
    /// </summary>
    internal int[] Classes => LazyInitializer.EnsureInitialized(ref _classes, ComputeClasses);

    private int[] ComputeClasses()
    {
        if (Streamed?.Classes is { } streamed) return streamed;
        int d = Basis.Dimension;
        var sets = new Generators.DisjointSets(d);
        for (int m = 0; m < d && sets.Count > 1; m++)
            for (int c = 0; c < Count && sets.Count > 1; c++) sets.JoinColumn(Matrix(c), m);
        var classes = new int[d];
        for (int k = 0; k < d; k++) classes[k] = sets.Find(k);
        return classes;
    }

    /// <summary>The couplings' exact non-zeros by columns, collected on first use (degenerate spectra).</summary>
    internal SparseCouplings Sparse => _sparse.Value;

    /// <summary>
    /// The couplings (of the selected baths; all when null) grouped by their baths' rate and Lamb-shift tables
    /// (identical baths share one array), so that rates gathered along a column serve every coupling of a group.
    /// </summary>
    internal List<(double[] Rates, double[] Lamb, List<int> Couplings)> ByRateTable(IReadOnlyCollection<int>? baths)
    {
        var groups = new List<(double[] Rates, double[] Lamb, List<int> Couplings)>();
        for (int c = 0; c < Count; c++)
        {
            int b = _bathOf[c];
            if (baths is not null && !baths.Contains(b)) continue;
            double[] rates = _rates[b], lamb = _lamb[b];
            int k = groups.FindIndex(x => ReferenceEquals(x.Rates, rates) && ReferenceEquals(x.Lamb, lamb));
            if (k < 0) groups.Add((rates, lamb, [c]));
            else groups[k].Couplings.Add(c);
        }
        return groups;
    }

    /// <summary>
    /// For a non-degenerate spectrum, the rates of the transitions out of level <paramref name="from"/>:
    /// target[n] = table(ω) with ω = E_from − E_n, read along row <paramref name="from"/> of the id table (contiguous;
    /// Id(n, m) = −Id(m, n)); target[from] = 0 (the ω = 0 term is handled apart).
    /// </summary>
    internal void RatesOutOf(int from, double[] table, double[] target)
    {
        int d = target.Length;
        for (int n = 0; n < d; n++) target[n] = table[_p - Bohr.Id(from, n)];
        target[from] = 0;
    }

    /// <summary>Σ_n g[n] |A_α[n, m]|² over column m of coupling <paramref name="coupling"/>.</summary>
    internal double ColumnWeightedSquares(double[] g, int coupling, int m) => ColumnWeightedSquares(Matrix(coupling), g, m);

    /// <summary>Σ_n g[n] |A[n, m]|² over column m of <paramref name="a"/>.</summary>
    internal static double ColumnWeightedSquares(CouplingMatrix a, double[] g, int m)
    {
        int d = g.Length;
        if (a.RealData is { } re) return DenseKernels.WeightedSumOfSquares(g, re.AsSpan((int)((long)m * d), d));
        double sum = 0;
        for (int n = 0; n < d; n++) sum += g[n] * a.Norm2(n + m * d);
        return sum;
    }

    /// <summary>y[n] += g[n] |A_α[n, m]|² over column m of coupling <paramref name="coupling"/>.</summary>
    internal void AddColumnWeightedSquares(double[] g, int coupling, int m, Span<double> y) =>
        AddColumnWeightedSquares(Matrix(coupling), g, m, y);

    /// <summary>y[n] += g[n] |A[n, m]|² over column m of <paramref name="a"/>.</summary>
    internal static void AddColumnWeightedSquares(CouplingMatrix a, double[] g, int m, Span<double> y)
    {
        int d = g.Length;
        if (a.RealData is { } re)
        {
            DenseKernels.AddWeightedSquares(g, re.AsSpan((int)((long)m * d), d), y);
            return;
        }
        for (int n = 0; n < d; n++) y[n] += g[n] * a.Norm2(n + m * d);
    }
}

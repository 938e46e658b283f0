using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The invariant components of the Davies generator inside its Bohr sectors: the connected components of the graph on
/// eigenbasis coherences ρ_mn in which (m, n) and (m′, n′) are joined when the generator has a non-zero entry between
/// them (a jump term A_mm′ ρ_m′n′ conj(A_nn′) at matching frequencies, or an off-diagonal entry of ½K ± iH inside a
/// level). Each component is an exact invariant subspace, so the generator is block-diagonal over them.
/// <para>
/// In a generic eigenbasis a component is a whole Bohr sector. When the eigenbasis is a permutation of the site basis
/// (H_S diagonal) the couplings keep their exact zeros and the sectors of highly degenerate models fall apart into
/// many small components: a spectator site (no term of H_S or of a coupling acts on it) makes d_s² independent copies
/// of every component, and n free qubits give components labelled by the qubits where the two sides of a coherence
/// differ. Everything is built from the couplings' exact non-zeros, in O(number of elements + Σ_c nnz_c²) time
/// (the second term only for the elements included).
/// </para>
/// </summary>
internal sealed class SectorComponents
{
    private readonly int _d;
    private readonly bool _sector0;
    private readonly int[] _levelOf, _levelStart, _levelCount, _sector0Offset;
    private readonly int[] _offset;      // component c: elements _elements[_offset[c] .. _offset[c + 1])
    private readonly int[] _elements;    // element indices (see Index), grouped by component, ascending inside each
    private readonly int[] _local;       // element index → position inside its component
    private readonly DaviesGenerator _gen;
    private readonly LevelEntries _left, _right;

    private SectorComponents(DaviesGenerator gen, bool sector0, int[] levelOf, int[] levelStart, int[] levelCount, int[] s0Offset,
        int[] offset, int[] elements, int[] local, LevelEntries left, LevelEntries right)
    {
        _gen = gen;
        _d = gen.Model.Dimension;
        _sector0 = sector0;
        _levelOf = levelOf;
        _levelStart = levelStart;
        _levelCount = levelCount;
        _sector0Offset = s0Offset;
        _offset = offset;
        _elements = elements;
        _local = local;
        _left = left;
        _right = right;
    }

    /// <summary>Number of components.</summary>
    public int Count => _offset.Length - 1;

    /// <summary>Number of elements covered.</summary>
    public int ElementCount => _elements.Length;

    /// <summary>Size of component <paramref name="c"/>.</summary>
    public int Size(int c) => _offset[c + 1] - _offset[c];

    /// <summary>
    /// The element indices of component <paramref name="c"/>: <see cref="PopulationSectorSpace"/> coordinates when built for the
    /// ν = 0 sector, vec indices m + n·d otherwise.
    /// </summary>
    public ReadOnlySpan<int> Elements(int c) => _elements.AsSpan(_offset[c], Size(c));

    /// <summary>The eigenbasis coherence (m, n) of an element index.</summary>
    public (int Row, int Column) Element(int index)
    {
        if (!_sector0) return (index % _d, index / _d);
        int lo = 0, hi = _levelCount.Length - 1; // the level whose block holds the coordinate
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_sector0Offset[mid] <= index) lo = mid;
            else hi = mid - 1;
        }
        int local = index - _sector0Offset[lo], dI = _levelCount[lo];
        return (_levelStart[lo] + local % dI, _levelStart[lo] + local / dI);
    }

    /// <summary>Whether every element of component <paramref name="c"/> is a population ρ_mm (then its block is a real Markov generator).</summary>
    public bool IsPopulation(int c)
    {
        foreach (int e in Elements(c))
        {
            var (m, n) = Element(e);
            if (m != n) return false;
        }
        return true;
    }

    // Element index of (m, n), or −1 when (m, n) is outside the elements considered.
    private int Index(int m, int n)
    {
        if (!_sector0) return m + n * _d;
        int I = _levelOf[m];
        if (_levelOf[n] != I) return -1;
        int s = _levelStart[I];
        return _sector0Offset[I] + (m - s) + (n - s) * _levelCount[I];
    }

    /// <summary>
    /// Splits the ν = 0 sector (<paramref name="sector0"/>, elements in <see cref="PopulationSectorSpace"/> coordinates) or all d²
    /// coherences (vec indices) into components.
    /// </summary>
    /// <summary>
    /// The structure alone (no components: <see cref="Count"/> is 0), enough for the matrix-free <see cref="Apply"/>
    /// on the ν = 0 sector (<paramref name="sector0"/>) or on all d² coherences.
    /// </summary>
    public static SectorComponents Structure(DaviesGenerator gen, bool sector0)
    {
        var dm = gen.Model;
        var basis = dm.Basis;
        int d = dm.Dimension, L = basis.Levels.Count;
        var levelOf = new int[d];
        for (int x = 0; x < d; x++) levelOf[x] = basis.LevelOf(x);
        var levelStart = basis.Levels.Select(l => l.Start).ToArray();
        var levelCount = basis.Levels.Select(l => l.Count).ToArray();
        var s0Offset = new int[L + 1];
        for (int I = 0; I < L; I++) s0Offset[I + 1] = s0Offset[I] + levelCount[I] * levelCount[I];
        var (left, right) = LevelEntries.Of(gen);
        return new SectorComponents(gen, sector0, levelOf, levelStart, levelCount, s0Offset, [0], [], [], left, right);
    }

    public static SectorComponents Build(DaviesGenerator gen, bool sector0, CancellationToken cancellation = default)
    {
        var shell = Structure(gen, sector0);
        var dm = gen.Model;
        int d = dm.Dimension, L = dm.Basis.Levels.Count;
        var (levelOf, levelStart, levelCount, s0Offset, left, right) =
            (shell._levelOf, shell._levelStart, shell._levelCount, shell._sector0Offset, shell._left, shell._right);
        int n = sector0 ? s0Offset[L] : checked(d * d);

        var sets = new DisjointSets(n);
        int Find(int x) => sets.Find(x);
        void Union(int a, int b) => sets.Union(a, b);

        // Off-diagonal entries of ½K ± iH inside the levels.
        for (int M = 0; M < L; M++)
        {
            int s = levelStart[M];
            for (int i = 0; i < levelCount[M]; i++)
                foreach (var (j, _) in left.Row(M, i))
                {
                    if (j == i) continue;
                    // (m, n) ← (m2, n) for every column n considered
                    int m = s + i, m2 = s + j;
                    if (sector0)
                        for (int q = s; q < s + levelCount[M]; q++) Union(shell.Index(m, q), shell.Index(m2, q));
                    else
                        for (int q = 0; q < d; q++) Union(m + q * d, m2 + q * d);
                }
        }
        for (int N = 0; N < L; N++)
        {
            int s = levelStart[N];
            for (int j = 0; j < levelCount[N]; j++)
                foreach (var (i, _) in right.Row(N, j))
                {
                    if (j == i) continue;
                    int nn = s + j, n2 = s + i; // (m, n) ← (m, n2): right[N][n2, n] ≠ 0
                    if (sector0)
                        for (int q = s; q < s + levelCount[N]; q++) Union(shell.Index(q, nn), shell.Index(q, n2));
                    else
                        for (int q = 0; q < d; q++) Union(q + nn * d, q + n2 * d);
                }
        }
        cancellation.ThrowIfCancellationRequested();

        // Jump terms: source (m2, n2) → target (m, n) when A[m, m2] ≠ 0, A[n, n2] ≠ 0 at the same grouped frequency.
        var sparse = dm.Jumps.Sparse;
        var bohr = dm.Bohr;
        for (int c = 0; c < dm.Jumps.Count; c++)
        {
            int b = dm.Jumps.Bath(c);
            cancellation.ThrowIfCancellationRequested();
            for (int n2 = 0; n2 < d; n2++)
            {
                var colN = sparse.Rows(c, n2);
                if (colN.Length == 0) continue;
                int N2 = levelOf[n2];
                int mFrom = sector0 ? levelStart[N2] : 0, mTo = sector0 ? levelStart[N2] + levelCount[N2] : d;
                for (int m2 = mFrom; m2 < mTo; m2++)
                {
                    var colM = sparse.Rows(c, m2);
                    if (colM.Length == 0) continue;
                    int M2 = levelOf[m2];
                    int source = shell.Index(m2, n2);
                    foreach (int m in colM)
                    {
                        int M = levelOf[m];
                        int w = bohr.Id(M, M2);
                        double g = dm.Jumps.Rate(b, w);
                        if (g == 0 || double.IsNaN(g)) continue;
                        foreach (int nn in colN)
                        {
                            int N = levelOf[nn];
                            if (sector0 ? N != M : bohr.Id(N, N2) != w) continue;
                            Union(shell.Index(m, nn), source);
                        }
                    }
                }
            }
        }

        // Components by counting sort of the roots (each root is its component's smallest element).
        var id = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int r = Find(i);
            id[i] = r == i ? count++ : id[r];
        }
        var offset = new int[count + 1];
        for (int i = 0; i < n; i++) offset[id[i] + 1]++;
        for (int c = 0; c < count; c++) offset[c + 1] += offset[c];
        var fill = (int[])offset.Clone();
        var elements = new int[n];
        var local = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = id[i];
            local[i] = fill[c] - offset[c];
            elements[fill[c]++] = i;
        }
        return new SectorComponents(gen, sector0, levelOf, levelStart, levelCount, s0Offset, offset, elements, local, left, right);
    }

    /// <summary>
    /// The generator restricted to component <paramref name="c"/> in local coordinates (position in
    /// <see cref="Elements"/>): row (m, n) holds −(½K + iH)_{mm′} at (m′, n), −(½K − iH)_{n′n} at (m, n′) and
    /// Σ_b Σ_α G_b(ω) A_{mm′} conj(A_{nn′}) at (m′, n′), the same entries as <see cref="DaviesGenerator.SectorMatrix(BohrSector)"/>.
    /// </summary>
    public SparseSectorMatrix Matrix(int c)
    {
        var elems = Elements(c);
        int size = elems.Length;
        var rowStart = new int[size + 1];
        var cols = new List<int>(size * 4);
        var vals = new List<Complex>(size * 4);
        var buffer = new List<(int Col, Complex Val)>();
        for (int k = 0; k < size; k++)
        {
            var (m, n) = Element(elems[k]);
            RowEntries(m, n, buffer);
            foreach (var (col, v) in buffer)
            {
                cols.Add(_local[col]);
                vals.Add(v);
            }
            rowStart[k + 1] = cols.Count;
        }
        return new SparseSectorMatrix(size, rowStart, cols.ToArray(), vals.ToArray());
    }

    /// <summary>
    /// y = L x on all the elements considered (element indices as in <see cref="Elements"/>), matrix-free: each row is
    /// formed from the couplings' non-zeros and the level blocks and used at once.
    /// </summary>
    public void Apply(ReadOnlySpan<Complex> x, Span<Complex> y)
    {
        var buffer = new List<(int Col, Complex Val)>();
        for (int e = 0; e < y.Length; e++)
        {
            var (m, n) = Element(e);
            RowEntries(m, n, buffer);
            Complex acc = 0;
            foreach (var (col, v) in buffer) acc += v * x[col];
            y[e] = acc;
        }
    }

    // The entries of row (m, n) as (element index, value), columns ascending, duplicates summed, exact zeros dropped.
    private void RowEntries(int m, int n, List<(int Col, Complex Val)> buffer)
    {
        var dm = _gen.Model;
        var sparse = dm.Jumps.Sparse;
        var bohr = dm.Bohr;
        buffer.Clear();
        int M = _levelOf[m], N = _levelOf[n];
        int sM = _levelStart[M], sN = _levelStart[N];
        foreach (var (j, v) in _left.Row(M, m - sM)) buffer.Add((Index(sM + j, n), -v));
        foreach (var (j, v) in _right.Row(N, n - sN)) buffer.Add((Index(m, sN + j), -v));
        for (int a = 0; a < dm.Jumps.Count; a++)
        {
            // A[m, m2] = conj(A[m2, m]) (column m), conj(A[n, n2]) = A[n2, n] (column n)
            var rm = sparse.Rows(a, m);
            var rn = sparse.Rows(a, n);
            if (rm.Length == 0 || rn.Length == 0) continue;
            var vm = sparse.Values(a, m);
            var vn = sparse.Values(a, n);
            int b = dm.Jumps.Bath(a);
            for (int x = 0; x < rm.Length; x++)
            {
                int m2 = rm[x], M2 = _levelOf[m2];
                int w = bohr.Id(M, M2);
                double g = dm.Jumps.Rate(b, w);
                if (g == 0 || double.IsNaN(g)) continue;
                var am = Complex.Conjugate(vm[x]);
                for (int y = 0; y < rn.Length; y++)
                {
                    int n2 = rn[y], N2 = _levelOf[n2];
                    if (_sector0 ? N2 != M2 : bohr.Id(N, N2) != w) continue;
                    buffer.Add((Index(m2, n2), g * am * vn[y]));
                }
            }
        }
        if (buffer.Count > 1) buffer.Sort((p, q) => p.Col.CompareTo(q.Col));
        int kept = 0;
        for (int i = 0; i < buffer.Count;)
        {
            int col = buffer[i].Col;
            Complex sum = 0;
            for (; i < buffer.Count && buffer[i].Col == col; i++) sum += buffer[i].Val;
            if (sum != Complex.Zero) buffer[kept++] = (col, sum);
        }
        buffer.RemoveRange(kept, buffer.Count - kept);
    }

    /// <summary>The KMS weights t_(m,n) = (p_m p_n)^{1/4} of the elements of component <paramref name="c"/>.</summary>
    public double[] Weights(int c, double[] p)
    {
        var elems = Elements(c);
        var t = new double[elems.Length];
        for (int k = 0; k < t.Length; k++)
        {
            var (m, n) = Element(elems[k]);
            t[k] = Math.Sqrt(Math.Sqrt(p[m] * p[n]));
        }
        return t;
    }

    /// <summary>The exact non-zeros of ½K + iH (rows) and ½K − iH (columns) inside each level.</summary>
    internal sealed class LevelEntries
    {
        private readonly (int, Complex)[][][] _rows; // [level][i] → (j, value)

        private LevelEntries((int, Complex)[][][] rows) => _rows = rows;

        /// <summary>The stored entries of line <paramref name="i"/> of level <paramref name="level"/>.</summary>
        public (int, Complex)[] Row(int level, int i) => _rows[level][i];

        /// <summary>
        /// Left: row i of ½K + iH, entries (j, (½K + iH)_ij). Right: column j of ½K − iH, entries (i, (½K − iH)_ij),
        /// stored under j.
        /// </summary>
        public static (LevelEntries Left, LevelEntries Right) Of(DaviesGenerator gen)
        {
            var (left, right) = gen.LevelGeneratorsInternal();
            int L = left.Length;
            var lr = new (int, Complex)[L][][];
            var rr = new (int, Complex)[L][][];
            for (int I = 0; I < L; I++)
            {
                int dI = left[I].RowCount;
                var lrows = new List<(int, Complex)>[dI];
                var rcols = new List<(int, Complex)>[dI];
                for (int i = 0; i < dI; i++)
                {
                    lrows[i] = [];
                    rcols[i] = [];
                }
                foreach (var (i, j, v) in left[I].EnumerateIndexed(Zeros.AllowSkip))
                    if (v != Complex.Zero) lrows[i].Add((j, v));
                foreach (var (i, j, v) in right[I].EnumerateIndexed(Zeros.AllowSkip))
                    if (v != Complex.Zero) rcols[j].Add((i, v));
                lr[I] = new (int, Complex)[dI][];
                rr[I] = new (int, Complex)[dI][];
                for (int j = 0; j < dI; j++) rr[I][j] = rcols[j].OrderBy(e => e.Item1).ToArray();
                for (int i = 0; i < dI; i++) lr[I][i] = lrows[i].OrderBy(e => e.Item1).ToArray();
            }
            return (new LevelEntries(lr), new LevelEntries(rr));
        }
    }
}

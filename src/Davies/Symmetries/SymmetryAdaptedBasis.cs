namespace Davies.Symmetries;

/// <summary>
/// The real orthonormal symmetry-adapted basis of a set of commuting <see cref="SiteSymmetry"/> operators, grouped into
/// blocks of equal labels (quantum numbers of the diagonal symmetries, characters of the permutations). Built orbit by
/// orbit of the permutation group G: on the span of an orbit O, the real projector of a label
/// P_λ = Π_g P_g, with P_g = (1 ± g)/2 for an involution and Q_k = (c_k/n) Σ_j cos(2πkj/n) T^j (c_k = 1 for k = 0, n/2,
/// else 2) for the pair of momenta ±k of a translation, has the range span{v₀, T v₀} with v₀ = P_λ|s₀⟩ (the involutions
/// act on it as ±1, the translation as a rotation by 2πk/n): one vector, two for 0 &lt; k &lt; n/2, none when v₀ = 0.
/// The vectors of all orbits with one label span the block; every basis vector lives on one orbit (|O| ≤ |G| entries).
/// </summary>
internal sealed class SymmetryAdaptedBasis
{
    private SymmetryAdaptedBasis(IReadOnlyList<SiteSymmetry> symmetries, List<Block> blocks, int dimension)
    {
        Symmetries = symmetries;
        Blocks = blocks;
        Dimension = dimension;
        // the row view: for each site the (block, column, coefficient) of every basis vector that touches it
        RowStart = new int[dimension + 1];
        foreach (var b in blocks)
            foreach (int s in b.Sites) RowStart[s + 1]++;
        for (int s = 0; s < dimension; s++) RowStart[s + 1] += RowStart[s];
        int nnz = RowStart[dimension];
        RowBlock = new int[nnz];
        RowColumn = new int[nnz];
        RowCoefficient = new double[nnz];
        var next = (int[])RowStart.Clone();
        for (int bi = 0; bi < blocks.Count; bi++)
        {
            var b = blocks[bi];
            for (int c = 0; c < b.Size; c++)
                for (int k = b.ColumnStart[c]; k < b.ColumnStart[c + 1]; k++)
                {
                    int at = next[b.Sites[k]]++;
                    RowBlock[at] = bi;
                    RowColumn[at] = c;
                    RowCoefficient[at] = b.Coefficients[k];
                }
        }
    }

    /// <summary>One block: its label and its basis vectors (columns, sparse over the site basis).</summary>
    internal sealed record Block(int[] Label, string Description, int[] ColumnStart, int[] Sites, double[] Coefficients)
    {
        public int Size => ColumnStart.Length - 1;
    }

    public IReadOnlyList<SiteSymmetry> Symmetries { get; }

    /// <summary>The blocks, ordered by label.</summary>
    public IReadOnlyList<Block> Blocks { get; }

    public int Dimension { get; }

    /// <summary>Row view (site s: entries RowStart[s] … RowStart[s+1] − 1).</summary>
    public int[] RowStart { get; }

    public int[] RowBlock { get; }

    public int[] RowColumn { get; }

    public double[] RowCoefficient { get; }

    /// <summary>
    /// The character ±1 of involution <paramref name="symmetry"/> (flip, reflection; or the parity) on block
    /// <paramref name="block"/>, or 0 when the symmetry is a translation or u1.
    /// </summary>
    public int Character(int symmetry, int block)
    {
        var g = Symmetries[symmetry];
        int label = Blocks[block].Label[symmetry];
        if (g.IsPermutation) return g.Order == 2 ? (label == 0 ? 1 : -1) : 0;
        return g.Kind == SymmetryKind.Parity ? (label == 0 ? 1 : -1) : 0;
    }

    public static SymmetryAdaptedBasis Build(IReadOnlyList<SiteSymmetry> symmetries, int d)
    {
        int ns = symmetries.Count;
        var perms = Enumerable.Range(0, ns).Where(i => symmetries[i].IsPermutation).ToArray();
        // the label values of each permutation: 0/1 (±) for an involution, k = 0 … ⌊n/2⌋ for a translation
        var labelCounts = perms.Select(i => symmetries[i].Order == 2 ? 2 : symmetries[i].Order / 2 + 1).ToArray();
        int combos = labelCounts.Aggregate(1, (a, b) => a * b);
        var position = new int[d];
        Array.Fill(position, -1);
        var byLabel = new Dictionary<string, List<(int[] Sites, double[] Coefficients)>>();
        var labels = new Dictionary<string, int[]>();
        var orbit = new List<int>();
        var v = Array.Empty<double>();
        var w = Array.Empty<double>();
        var acc = Array.Empty<double>();
        for (int s0 = 0; s0 < d; s0++)
        {
            if (position[s0] >= 0) continue;
            orbit.Clear();
            orbit.Add(s0);
            position[s0] = 0;
            for (int head = 0; head < orbit.Count; head++)
                foreach (int p in perms)
                {
                    int t = symmetries[p].Map![orbit[head]];
                    if (position[t] >= 0) continue;
                    position[t] = orbit.Count;
                    orbit.Add(t);
                }
            int size = orbit.Count;
            if (v.Length < size)
            {
                v = new double[size];
                w = new double[size];
                acc = new double[size];
            }
            var label = new int[ns];
            for (int i = 0; i < ns; i++)
                if (!symmetries[i].IsPermutation) label[i] = symmetries[i].Charge![s0];
            for (int combo = 0; combo < combos; combo++)
            {
                int rest = combo;
                for (int q = 0; q < perms.Length; q++)
                {
                    label[perms[q]] = rest % labelCounts[q];
                    rest /= labelCounts[q];
                }
                // v₀ = P_λ |s₀⟩
                Array.Clear(v, 0, size);
                v[0] = 1;
                int translation = -1;
                for (int q = 0; q < perms.Length; q++)
                {
                    var g = symmetries[perms[q]];
                    int l = label[perms[q]];
                    if (g.Order == 2)
                    {
                        double sign = l == 0 ? 1 : -1;
                        Array.Copy(v, w, size);
                        for (int p = 0; p < size; p++) v[position[g.Map![orbit[p]]]] += sign * w[p];
                        for (int p = 0; p < size; p++) v[p] *= 0.5;
                    }
                    else
                    {
                        translation = perms[q];
                        Project(g, l, orbit, position, v, w, acc, size);
                    }
                }
                var vectors = new List<double[]>();
                double norm = Norm(v, size);
                if (norm < 1e-8) continue;
                var v0 = new double[size];
                for (int p = 0; p < size; p++) v0[p] = v[p] / norm;
                vectors.Add(v0);
                if (translation >= 0)
                {
                    var g = symmetries[translation];
                    int k = label[translation];
                    if (k != 0 && 2 * k != g.Order)
                    {
                        var v1 = new double[size];
                        for (int p = 0; p < size; p++) v1[position[g.Map![orbit[p]]]] = v0[p];
                        double dot = 0;
                        for (int p = 0; p < size; p++) dot += v1[p] * v0[p];
                        for (int p = 0; p < size; p++) v1[p] -= dot * v0[p];
                        double n1 = Norm(v1, size);
                        if (n1 > 1e-8)
                        {
                            for (int p = 0; p < size; p++) v1[p] /= n1;
                            vectors.Add(v1);
                        }
                    }
                }
                string key = string.Join(",", label);
                if (!byLabel.TryGetValue(key, out var list))
                {
                    byLabel[key] = list = [];
                    labels[key] = (int[])label.Clone();
                }
                foreach (var vec in vectors)
                {
                    int nnz = 0;
                    for (int p = 0; p < size; p++) if (Math.Abs(vec[p]) > 1e-14) nnz++;
                    var sites = new int[nnz];
                    var coefficients = new double[nnz];
                    int at = 0;
                    // sites ascending inside a vector (sequential access of H's rows)
                    foreach (int p in Enumerable.Range(0, size).Where(p => Math.Abs(vec[p]) > 1e-14).OrderBy(p => orbit[p]))
                    {
                        sites[at] = orbit[p];
                        coefficients[at++] = vec[p];
                    }
                    list.Add((sites, coefficients));
                }
            }
        }
        var blocks = new List<Block>();
        foreach (var key in labels.Keys.OrderBy(k => labels[k], LabelComparer.Instance))
        {
            var list = byLabel[key];
            var start = new int[list.Count + 1];
            for (int c = 0; c < list.Count; c++) start[c + 1] = start[c] + list[c].Sites.Length;
            var sites = new int[start[^1]];
            var coefficients = new double[start[^1]];
            for (int c = 0; c < list.Count; c++)
            {
                list[c].Sites.CopyTo(sites, start[c]);
                list[c].Coefficients.CopyTo(coefficients, start[c]);
            }
            blocks.Add(new Block(labels[key], Describe(symmetries, labels[key]), start, sites, coefficients));
        }
        int total = blocks.Sum(b => b.Size);
        if (total != d)
            throw new InvalidOperationException($"symmetry-adapted basis has {total} vectors for dimension {d}");
        return new SymmetryAdaptedBasis(symmetries, blocks, d);
    }

    // v ← Q_k v = (c_k/n) Σ_j cos(2πkj/n) T^j v on the orbit's positions
    private static void Project(SiteSymmetry t, int k, List<int> orbit, int[] position, double[] v, double[] w, double[] acc, int size)
    {
        int n = t.Order;
        double ck = k == 0 || 2 * k == n ? 1.0 : 2.0;
        Array.Copy(v, w, size);
        Array.Clear(acc, 0, size);
        for (int j = 0; j < n; j++)
        {
            double c = ck / n * Math.Cos(2 * Math.PI * k * j / n);
            for (int p = 0; p < size; p++) acc[p] += c * w[p];
            if (j == n - 1) break;
            Array.Copy(w, v, size);
            for (int p = 0; p < size; p++) w[position[t.Map![orbit[p]]]] = v[p];
        }
        Array.Copy(acc, v, size);
    }

    private static double Norm(double[] v, int size)
    {
        double s = 0;
        for (int p = 0; p < size; p++) s += v[p] * v[p];
        return Math.Sqrt(s);
    }

    private static string Describe(IReadOnlyList<SiteSymmetry> symmetries, int[] label) =>
        string.Join(" ", symmetries.Select((g, i) => g.Kind switch
        {
            SymmetryKind.U1 => $"u1={label[i]}",
            SymmetryKind.Parity => $"parity={(label[i] == 0 ? "+" : "-")}",
            SymmetryKind.Translation => $"k=±{label[i]}",
            _ => $"{g.Kind.ToWireName()}={(label[i] == 0 ? "+" : "-")}",
        }));

    private sealed class LabelComparer : IComparer<int[]>
    {
        public static readonly LabelComparer Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            for (int i = 0; i < x!.Length; i++)
            {
                int c = x[i].CompareTo(y![i]);
                if (c != 0) return c;
            }
            return 0;
        }
    }
}

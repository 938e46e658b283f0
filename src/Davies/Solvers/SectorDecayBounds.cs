using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;
using Davies.Generators;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Matrix-free Gershgorin bounds on the slowest decay of the Bohr sectors of a Davies generator with a non-degenerate
/// H_S whose Bohr groups are no wider than the tolerance (the common case at scale). It certifies, without building
/// the sector matrix, that every eigenvalue of a sector decays faster than a threshold, so <see cref="Spectrum"/> can
/// skip it.
/// <para>
/// With weights w_(m,n) = (p_m p_n)^{1/4} (p the KMS weights), the Hermitian part H of the weighted sector matrix has
/// H_ii = −½(Γ_m + Γ_n) − ½ Σ_c G_c(0) |A_mm − A_nn|² (Γ the Pauli escape rates) and, for j = (m′, n′) ≠ i,
/// H_ij = Σ_c R_c A_mm′ A_nn′*, R_c = ½[G_c(ω) x y + G_c(−ω)/(x y)], x = (p_m′/p_m)^{1/4}, y = (p_n′/p_n)^{1/4},
/// ω the Bohr group of E_m′ − E_m (every pair of a sector is in one group when no group is wider than the
/// tolerance). Cauchy–Schwarz gives R_c ≤ F_c(m, m′) F_c(n, n′) with F_c(m, m′)² = ½[G_c(ω) x² + G_c(−ω)/x²], with
/// equality when x = y, i.e. when E_m′ − E_m = E_n′ − E_n exactly; in general the difference is at most
/// √(G_c(ω) G_c(−ω)) sinh²(β_w Δ/4) with Δ ≤ the widest Bohr group, which is added as a margin. So
/// |H_ij| ≤ |Σ_c F_c(m,m′) F_c(n,n′) A_mm′ A_nn′*| + margin, and F factors out of the sum over the couplings that
/// share one rate table. The Gershgorin bound −Re λ ≥ min_i (−H_ii − Σ_{j≠i} |H_ij|) then costs O(dim² × couplings)
/// per sector with contiguous reads, O(d²) memory per rate table, and no sector matrix.
/// </para>
/// </summary>
internal sealed class SectorDecayBounds
{
    private readonly int _d;
    private readonly double[] _diag;            // ½ Γ_m
    private double[][] _f;             // per rate group, F(m, m′) column-major (symmetric)
    private readonly int[][] _groups;           // coupling indices sharing one rate table (identical baths)
    private readonly double[]?[] _real;         // per coupling, real data or null
    private readonly Complex[]?[] _complex;     // per coupling, complex data or null
    private readonly double[] _g0;              // per coupling, G_c(0)
    private readonly double _marginPerElement;  // per off-diagonal element
    // Real couplings: b_c(m, m′) = F_c(m, m′) A_c[m, m′] as float, interleaved [(m·d + m′)·Cp + c] (Cp = couplings
    // rounded up to 4, zero padded), so that the C products of one pair are read contiguously; and the row norms
    // Σ_m′ b_c(m, m′)² [m·C + c] for the rounding margin.
    private readonly float[]? _b;
    private readonly double[]? _rowNorm2;
    private readonly int _cp;

    private SectorDecayBounds(DecomposedModel dm, double[] pauliDiagonal, double[] p)
    {
        int d = dm.Dimension;
        _d = d;
        _diag = pauliDiagonal.Select(x => -0.5 * x).ToArray();
        int nc = dm.CouplingCount;
        _real = new double[]?[nc];
        _complex = new Complex[]?[nc];
        _g0 = new double[nc];
        for (int c = 0; c < nc; c++)
        {
            _real[c] = dm.Couplings[c].RealData;
            _complex[c] = dm.Couplings[c].ComplexData;
            double g0 = dm.Rate(dm.BathOf[c], 0);
            _g0[c] = double.IsNaN(g0) ? 0 : g0; // NaN: no coupling of the bath has an ω = 0 part
        }
        _groups = Enumerable.Range(0, nc).GroupBy(c => dm.RateTable(dm.BathOf[c]), ReferenceEqualityComparer.Instance)
            .Select(g => g.ToArray()).ToArray();
        var basis = dm.Basis;
        var bohr = dm.Bohr;
        int[] level = Enumerable.Range(0, d).Select(basis.LevelOf).ToArray();
        // x² = (p_m′/p_m)^{1/2}
        var sq = p.Select(Math.Sqrt).ToArray();
        _f = new double[_groups.Length][];
        double margin = 0;
        for (int g = 0; g < _groups.Length; g++)
        {
            int bath = dm.BathOf[_groups[g][0]];
            var f = new double[d * d];
            double gmax = 0;
            Parallel.For(0, d, m =>
            {
                for (int m2 = 0; m2 < d; m2++)
                {
                    if (m2 == m) continue;
                    int w = bohr.Id(level[m], level[m2]);
                    double x2 = sq[m2] / sq[m];
                    f[m2 + m * d] = Math.Sqrt(0.5 * (dm.Rate(bath, w) * x2 + dm.Rate(bath, -w) / x2));
                }
            });
            foreach (var r in dm.RateTable(bath)) if (!double.IsNaN(r)) gmax = Math.Max(gmax, r);
            _f[g] = f;
            foreach (int c in _groups[g]) margin += gmax * MaxNorm2(c);
        }
        if (_real.All(x => x is not null))
        {
            _cp = (nc + 3) / 4 * 4;
            _b = new float[(long)d * d * _cp];
            _rowNorm2 = new double[d * nc];
            var groupOf = new int[nc];
            for (int g = 0; g < _groups.Length; g++) foreach (int c in _groups[g]) groupOf[c] = g;
            Parallel.For(0, d, m =>
            {
                long rowStart = (long)m * d;
                for (int c = 0; c < nc; c++)
                {
                    var a = _real[c]!;
                    var f = _f[groupOf[c]];
                    double norm2 = 0;
                    for (int m2 = 0; m2 < d; m2++)
                    {
                        if (m2 == m) continue;
                        double v = f[m2 + m * d] * a[m2 + m * d];
                        _b[(rowStart + m2) * _cp + c] = (float)v;
                        norm2 += v * v;
                    }
                    _rowNorm2[m * nc + c] = norm2;
                }
            });
            _f = []; // folded into _b
        }
        // sinh²(β_w Δ/4), with β_w the inverse temperature of the weights: p = e^{−β_w (E − E_0)}
        var e = basis.Energies;
        double betaW = e[^1] > e[0] && p[^1] > 0 ? -Math.Log(p[^1] / p[0]) / (e[^1] - e[0]) : 0;
        double s = Math.Sinh(betaW * bohr.MaxWidth / 4);
        _marginPerElement = margin * s * s;
    }

    /// <summary>The bounds, or null when they do not apply (degenerate H_S, Bohr groups wider than the tolerance).</summary>
    public static SectorDecayBounds? TryCreate(DecomposedModel dm, double[] pauliDiagonal, double[] p)
    {
        if (!dm.Basis.IsNonDegenerate || dm.Bohr.MaxWidth > dm.Basis.Tolerance) return null;
        if (p.Any(x => !(x > 0) || !double.IsFinite(x))) return null;
        return new SectorDecayBounds(dm, pauliDiagonal, p);
    }

    private double MaxNorm2(int c)
    {
        double max = 0;
        if (_real[c] is { } re) foreach (var x in re) max = Math.Max(max, x * x);
        else foreach (var z in _complex[c]!) max = Math.Max(max, z.Real * z.Real + z.Imaginary * z.Imaginary);
        return max;
    }

    /// <summary>
    /// Whether every eigenvalue λ of the sector is certified to satisfy −Re λ &gt; <paramref name="threshold"/>.
    /// </summary>
    public bool DecaysFasterThan(BohrSector sector, double threshold) => LowerBound(sector, threshold) > threshold;

    /// <summary>
    /// The Gershgorin lower bound on −Re λ over the sector's eigenvalues; the scan stops at the first row whose bound
    /// is at or below <paramref name="stopAt"/> (then that row's bound is returned).
    /// </summary>
    public double LowerBound(BohrSector sector, double stopAt = double.NegativeInfinity)
    {
        int k = sector.Dimension, d = _d;
        var rows = sector.Rows;
        var cols = sector.Columns;
        bool real = _real.All(x => x is not null);
        var acc = new double[k];
        var accZ = real ? null : new Complex[k];
        var sumRe = real ? null : new double[k];
        var sumIm = real ? null : new double[k];
        double mult = _b is not null ? Multiplicity(rows, cols) : 0;
        double bound = double.PositiveInfinity;
        for (int i = 0; i < k; i++)
        {
            int m = rows[i], n = cols[i];
            double diag = _diag[m] + _diag[n];
            for (int c = 0; c < _g0.Length; c++)
            {
                if (_g0[c] == 0) continue;
                var z = Get(c, m + m * d) - Get(c, n + n * d);
                diag += 0.5 * _g0[c] * (z.Real * z.Real + z.Imaginary * z.Imaginary);
            }
            double radius = (k - 1) * _marginPerElement;
            if (_b is not null) radius += InterleavedRow(m, n, i, rows, cols, mult);
            else if (real) radius += RealRow(m, n, i, rows, cols, acc);
            else radius += ComplexRow(m, n, i, rows, cols, accZ!, sumRe!, sumIm!);
            bound = Math.Min(bound, diag - radius);
            if (bound <= stopAt) break;
        }
        return bound;
    }

    private Complex Get(int c, int index) => _real[c] is { } re ? new Complex(re[index], 0) : _complex[c]![index];

    // Σ_{j≠i} |Σ_g F_g(m, m_j) F_g(n, n_j) Σ_{c∈g} A_c[m, m_j] A_c[n, n_j]| for real symmetric couplings: column m of
    // A_c is row m, so every read is a gather from one contiguous column.
    // √(μ_rows μ_cols), μ the largest number of times one index occurs among the sector's rows (columns): then
    // Σ_j b(m, m_j)² ≤ μ_rows Σ_m′ b(m, m′)².
    private static double Multiplicity(int[] rows, int[] cols)
    {
        static int Max(int[] x)
        {
            var counts = new Dictionary<int, int>();
            int max = 0;
            foreach (int v in x) max = Math.Max(max, counts[v] = counts.GetValueOrDefault(v) + 1);
            return max;
        }
        return Math.Sqrt((double)Max(rows) * Max(cols));
    }

    // Σ_{j≠i} |Σ_c b_c(m, m_j) b_c(n, n_j)| from the interleaved float copy, plus a rigorous bound on the effect of
    // rounding b to float: the products of two floats are exact in double, so the error of one pair is at most
    // κ Σ_c |b_c(m, m_j) b_c(n, n_j)| with κ = 2u + u² + C·2⁻⁵² (u = 2⁻²⁴), and by Cauchy–Schwarz
    // Σ_j Σ_c |b_c(m, m_j) b_c(n, n_j)| ≤ √(μ_rows μ_cols) Σ_c √(Σ_m′ b_c(m, m′)² Σ_n′ b_c(n, n′)²).
    private unsafe double InterleavedRow(int m, int n, int i, int[] rows, int[] cols, double mult)
    {
        int k = rows.Length, d = _d, cp = _cp, nc = _g0.Length;
        double sum = 0;
        fixed (float* b = _b)
        fixed (int* pr = rows, pc = cols)
        {
            float* bm = b + (long)m * d * cp, bn = b + (long)n * d * cp;
            for (int j = 0; j < k; j++)
            {
                if (j == i) continue;
                float* x = bm + (long)pr[j] * cp, y = bn + (long)pc[j] * cp;
                double v;
                if (Avx.IsSupported)
                {
                    var acc = Vector256<double>.Zero;
                    for (int t = 0; t < cp; t += 4)
                        acc += Avx.ConvertToVector256Double(Sse.LoadVector128(x + t)) * Avx.ConvertToVector256Double(Sse.LoadVector128(y + t));
                    v = Vector256.Sum(acc);
                }
                else
                {
                    v = 0;
                    for (int t = 0; t < cp; t++) v += (double)x[t] * y[t];
                }
                sum += Math.Abs(v);
            }
        }
        const double u = 1.0 / (1 << 24);
        double kappa = 2 * u + u * u + nc * Math.ScaleB(1, -52);
        double cs = 0;
        for (int c = 0; c < nc; c++) cs += Math.Sqrt(_rowNorm2![m * nc + c] * _rowNorm2[n * nc + c]);
        return sum * (1 + k * Math.ScaleB(1, -52)) + kappa * mult * cs;
    }

    // Column m of real coupling c (rows and cols hold indices < d, checked when the sector was built).
    private ref double Column(int c, int m) => ref _real[c]![m * _d];

    private double RealRow(int m, int n, int i, int[] rows, int[] cols, double[] total)
    {
        int k = rows.Length, d = _d;
        Array.Clear(total);
        var part = _groups.Length > 1 ? new double[k] : total;
        for (int g = 0; g < _groups.Length; g++)
        {
            var group = _groups[g];
            if (_groups.Length > 1) Array.Clear(part);
            // Four couplings per pass over the sector: four times fewer passes over rows, cols and part.
            int t = 0;
            for (; t + 4 <= group.Length; t += 4)
            {
                ref double m0 = ref Column(group[t], m), n0 = ref Column(group[t], n);
                ref double m1 = ref Column(group[t + 1], m), n1 = ref Column(group[t + 1], n);
                ref double m2 = ref Column(group[t + 2], m), n2 = ref Column(group[t + 2], n);
                ref double m3 = ref Column(group[t + 3], m), n3 = ref Column(group[t + 3], n);
                for (int j = 0; j < k; j++)
                {
                    int u = rows[j], v = cols[j];
                    part[j] += Unsafe.Add(ref m0, u) * Unsafe.Add(ref n0, v) + Unsafe.Add(ref m1, u) * Unsafe.Add(ref n1, v)
                        + Unsafe.Add(ref m2, u) * Unsafe.Add(ref n2, v) + Unsafe.Add(ref m3, u) * Unsafe.Add(ref n3, v);
                }
            }
            for (; t < group.Length; t++)
            {
                ref double m0 = ref Column(group[t], m), n0 = ref Column(group[t], n);
                for (int j = 0; j < k; j++) part[j] += Unsafe.Add(ref m0, rows[j]) * Unsafe.Add(ref n0, cols[j]);
            }
            var fm = _f[g].AsSpan(m * d, d);
            var fn = _f[g].AsSpan(n * d, d);
            if (_groups.Length > 1)
                for (int j = 0; j < k; j++) total[j] += fm[rows[j]] * fn[cols[j]] * part[j];
            else
                for (int j = 0; j < k; j++) total[j] *= fm[rows[j]] * fn[cols[j]];
        }
        total[i] = 0;
        double r = 0;
        for (int j = 0; j < k; j++) r += Math.Abs(total[j]);
        return r;
    }

    // The same for complex Hermitian couplings: A[m, m′] = conj(A[m′ + m·d]) and A[n, n′]* = A[n′ + n·d].
    private double ComplexRow(int m, int n, int i, int[] rows, int[] cols, Complex[] part, double[] re, double[] im)
    {
        int k = rows.Length, d = _d;
        Array.Clear(re);
        Array.Clear(im);
        for (int g = 0; g < _groups.Length; g++)
        {
            Array.Clear(part);
            foreach (int c in _groups[g])
            {
                if (_real[c] is { } a)
                {
                    for (int j = 0; j < k; j++) part[j] += a[rows[j] + m * d] * a[cols[j] + n * d];
                    continue;
                }
                var z = _complex[c]!;
                for (int j = 0; j < k; j++)
                    part[j] += Complex.Conjugate(z[rows[j] + m * d]) * z[cols[j] + n * d];
            }
            var f = _f[g];
            for (int j = 0; j < k; j++)
            {
                double s = f[rows[j] + m * d] * f[cols[j] + n * d];
                re[j] += s * part[j].Real;
                im[j] += s * part[j].Imaginary;
            }
        }
        re[i] = im[i] = 0;
        double sum = 0;
        for (int j = 0; j < k; j++) sum += Math.Sqrt(re[j] * re[j] + im[j] * im[j]);
        return sum;
    }
}

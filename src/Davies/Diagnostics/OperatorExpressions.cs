using System.Globalization;
using System.Text;
using Davies.LinearAlgebra;
using Davies.Spaces;

namespace Davies.Diagnostics;

/// <summary>
/// Short expressions of Hermitian operators in a model's site basis: Pauli strings for qubit sites (a fast
/// Walsh–Hadamard-style transform, O(d² log d)), or product-basis matrix elements for any sites; and the canonical basis
/// of a set of operators (reduced row echelon form over those coordinates, identity first).
/// <para>
/// Coordinates are real for a Hermitian X. Pauli: X = Σ_P c_P P with c_P = Tr[P X]/d. Product basis:
/// X = Σ_i x_ii |i⟩⟨i| + Σ_{i&lt;j} [Re x_ij (|i⟩⟨j| + |j⟩⟨i|) + Im x_ij (i|i⟩⟨j| − i|j⟩⟨i|)], labelled "|i⟩⟨i|",
/// "(|i⟩⟨j| + h.c.)" and "(i|i⟩⟨j| + h.c.)".
/// </para>
/// </summary>
internal static class OperatorExpressions
{
    /// <summary>Expressions from a dense site-basis operator are formed up to this dimension.</summary>
    internal const int DimensionLimit = 1024;

    /// <summary>Terms shown per operator (the rest are counted).</summary>
    internal const int MaxTerms = 8;

    /// <summary>Coordinates below this fraction of the largest one are dropped: 1e-10.</summary>
    internal const double DropRelative = 1e-10;

    /// <summary>Rows of the echelon form whose largest entry is below this (relative to the inputs) are dependent: 1e-8.</summary>
    internal const double RankTolerance = 1e-8;

    /// <summary>True when every site is a qubit.</summary>
    public static bool AllQubits(HilbertSpace space) => space.Dimensions.All(x => x == 2);

    /// <summary>
    /// The Pauli coordinates of a Hermitian operator on n qubits (site 0 the most significant bit): code → c_P, with
    /// code = Σ_k p_k 4^{n−1−k}, p = 0 (I), 1 (X), 2 (Y), 3 (Z). Per qubit, the 2×2 slices [[m00, m01], [m10, m11]]
    /// over that qubit's row and column bits become I = (m00 + m11)/2, X = (m01 + m10)/2, Y = i(m01 − m10)/2,
    /// Z = (m00 − m11)/2 in place: O(d² log d).
    /// </summary>
    public static Dictionary<long, double> Pauli(Matrix<Complex> x, int qubits)
    {
        int d = x.RowCount;
        var a = x.Storage.IsDense ? (Complex[])DenseKernels.Data(x).Clone() : x.ToColumnMajorArray();
        for (int b = 0; b < qubits; b++)
        {
            int bit = 1 << b;
            for (int c = 0; c < d; c++)
            {
                if ((c & bit) != 0) continue;
                long c0 = (long)c * d, c1 = (long)(c | bit) * d;
                for (int r = 0; r < d; r++)
                {
                    if ((r & bit) != 0) continue;
                    var m00 = a[r + c0];
                    var m01 = a[r + c1];
                    var m10 = a[(r | bit) + c0];
                    var m11 = a[(r | bit) + c1];
                    a[r + c0] = 0.5 * (m00 + m11);
                    a[r + c1] = 0.5 * (m01 + m10);
                    a[(r | bit) + c0] = 0.5 * Complex.ImaginaryOne * (m01 - m10);
                    a[(r | bit) + c1] = 0.5 * (m00 - m11);
                }
            }
        }
        var result = new Dictionary<long, double>();
        double max = 0;
        foreach (var z in a) max = Math.Max(max, Math.Abs(z.Real));
        for (int c = 0; c < d; c++)
            for (int r = 0; r < d; r++)
            {
                double v = a[r + (long)c * d].Real;
                if (Math.Abs(v) <= DropRelative * max || v == 0) continue;
                long code = 0;
                for (int k = 0; k < qubits; k++)
                {
                    int bit = 1 << (qubits - 1 - k);
                    int p = 2 * ((r & bit) != 0 ? 1 : 0) + ((c & bit) != 0 ? 1 : 0);
                    code = code * 4 + p;
                }
                result[code] = v;
            }
        return result;
    }

    /// <summary>The product-basis coordinates of a Hermitian operator (codes: see <see cref="ElementLabel"/>).</summary>
    public static Dictionary<long, double> Elements(Matrix<Complex> x)
    {
        int d = x.RowCount;
        var result = new Dictionary<long, double>();
        double max = 0;
        foreach (var (_, _, z) in x.EnumerateIndexed(Zeros.AllowSkip)) max = Math.Max(max, z.Magnitude);
        foreach (var (i, j, z) in x.EnumerateIndexed(Zeros.AllowSkip))
        {
            if (i > j || z.Magnitude <= DropRelative * max) continue;
            if (i == j)
            {
                if (Math.Abs(z.Real) > DropRelative * max) result[i] = z.Real;
                continue;
            }
            long pair = (long)d + 2 * ((long)i * d + j);
            if (Math.Abs(z.Real) > DropRelative * max) result[pair] = z.Real;
            if (Math.Abs(z.Imaginary) > DropRelative * max) result[pair + 1] = z.Imaginary;
        }
        return result;
    }

    /// <summary>The label of a Pauli code on <paramref name="qubits"/> sites ("I", "Z0 Z1", "X0 Y2").</summary>
    public static string PauliLabel(long code, int qubits)
    {
        var parts = new List<string>();
        for (int k = 0; k < qubits; k++)
        {
            int p = (int)((code >> (2 * (qubits - 1 - k))) & 3);
            if (p != 0) parts.Add("IXYZ"[p] + k.ToString(CultureInfo.InvariantCulture));
        }
        return parts.Count == 0 ? "I" : string.Join(" ", parts);
    }

    // Weight and site order of a Pauli code: identity first, then by weight, then by the (site, letter) sequence.
    private static (int Weight, string Order) PauliKey(long code, int qubits)
    {
        var sb = new StringBuilder();
        int weight = 0;
        for (int k = 0; k < qubits; k++)
        {
            int p = (int)((code >> (2 * (qubits - 1 - k))) & 3);
            if (p == 0) continue;
            weight++;
            sb.Append(k.ToString("D5", CultureInfo.InvariantCulture)).Append("XYZ"[p - 1]);
        }
        return (weight, sb.ToString());
    }

    /// <summary>
    /// The label of a product-basis code: i (0 ≤ i &lt; d) is |i⟩⟨i|; d + 2(i·d + j) is (|i⟩⟨j| + h.c.) and the next code
    /// (i|i⟩⟨j| + h.c.) (i &lt; j). Basis states are written with one digit per site (commas when a site has d_k &gt; 10).
    /// </summary>
    public static string ElementLabel(long code, HilbertSpace space)
    {
        int d = space.Dimension;
        if (code < d) return $"{Ket(code, space)}{Bra(code, space)}";
        long pair = (code - d) / 2;
        bool imaginary = (code - d) % 2 == 1;
        long i = pair / d, j = pair % d;
        return $"({(imaginary ? "i" : "")}{Ket(i, space)}{Bra(j, space)} + h.c.)";
    }

    private static string Digits(long index, HilbertSpace space)
    {
        var dims = space.Dimensions;
        var digits = new long[dims.Count];
        for (int k = dims.Count - 1; k >= 0; k--)
        {
            digits[k] = index % dims[k];
            index /= dims[k];
        }
        return dims.Any(x => x > 10) ? string.Join(",", digits) : string.Concat(digits);
    }

    private static string Ket(long i, HilbertSpace space) => $"|{Digits(i, space)}⟩";

    private static string Bra(long i, HilbertSpace space) => $"⟨{Digits(i, space)}|";

    /// <summary>The canonical order of coordinates: Pauli keys for qubits, else the code itself.</summary>
    public static IComparer<long> Order(bool pauli, int qubits) => pauli
        ? Comparer<long>.Create((a, b) =>
        {
            var (wa, oa) = PauliKey(a, qubits);
            var (wb, ob) = PauliKey(b, qubits);
            return wa != wb ? wa.CompareTo(wb) : string.CompareOrdinal(oa, ob);
        })
        : Comparer<long>.Default;

    /// <summary>
    /// The reduced row echelon form of the row space of <paramref name="rows"/> (sparse real coordinates) with the
    /// columns in the order <paramref name="order"/>: a basis of the span that depends only on the span (each row has
    /// a leading 1 in a column where the other rows vanish). Returns, for each basis row, its coordinates and the
    /// combination of the input rows that gives it. Rows are scaled to unit norm first; a remaining row below
    /// <see cref="RankTolerance"/> is dependent.
    /// </summary>
    public static List<(Dictionary<long, double> Row, double[] Combination)> Echelon(IReadOnlyList<Dictionary<long, double>> rows,
        IComparer<long> order)
    {
        var columns = rows.SelectMany(r => r.Keys).Distinct().ToList();
        columns.Sort(order);
        var colIndex = new Dictionary<long, int>();
        for (int c = 0; c < columns.Count; c++) colIndex[columns[c]] = c;
        int k = rows.Count, u = columns.Count;
        var a = new double[k][];
        var t = new double[k][];
        for (int i = 0; i < k; i++)
        {
            a[i] = new double[u];
            t[i] = new double[k];
            double norm = Math.Sqrt(rows[i].Values.Sum(v => v * v));
            if (norm == 0) norm = 1;
            foreach (var (col, v) in rows[i]) a[i][colIndex[col]] = v / norm;
            t[i][i] = 1 / norm;
        }
        var pivots = new List<(int Row, int Column)>();
        int next = 0;
        for (int c = 0; c < u && next < k; c++)
        {
            int best = -1;
            double bestValue = RankTolerance;
            for (int i = next; i < k; i++)
                if (Math.Abs(a[i][c]) > bestValue)
                {
                    best = i;
                    bestValue = Math.Abs(a[i][c]);
                }
            if (best < 0) continue;
            (a[next], a[best]) = (a[best], a[next]);
            (t[next], t[best]) = (t[best], t[next]);
            double p = a[next][c];
            for (int j = 0; j < u; j++) a[next][j] /= p;
            for (int j = 0; j < k; j++) t[next][j] /= p;
            for (int i = 0; i < k; i++)
            {
                if (i == next || a[i][c] == 0) continue;
                double f = a[i][c];
                for (int j = 0; j < u; j++) a[i][j] -= f * a[next][j];
                for (int j = 0; j < k; j++) t[i][j] -= f * t[next][j];
                a[i][c] = 0;
            }
            pivots.Add((next, c));
            next++;
        }
        var result = new List<(Dictionary<long, double>, double[])>();
        foreach (var (row, _) in pivots)
        {
            var sparse = new Dictionary<long, double>();
            double max = a[row].Max(Math.Abs);
            for (int j = 0; j < u; j++)
                if (Math.Abs(a[row][j]) > DropRelative * max) sparse[columns[j]] = a[row][j];
            result.Add((sparse, t[row]));
        }
        return result;
    }

    /// <summary>
    /// The terms to show: the largest |coefficient| first (ties in the canonical order), at most
    /// <see cref="MaxTerms"/>, and how many are left out.
    /// </summary>
    public static (List<(double Coefficient, long Code)> Terms, int Omitted) Largest(Dictionary<long, double> coords, IComparer<long> order)
    {
        var all = coords.Where(e => e.Value != 0).Select(e => (e.Value, e.Key)).ToList();
        all.Sort((x, y) =>
        {
            int c = Math.Abs(y.Value).CompareTo(Math.Abs(x.Value));
            if (c != 0 && Math.Abs(Math.Abs(y.Value) - Math.Abs(x.Value)) > 1e-12 * Math.Max(Math.Abs(x.Value), Math.Abs(y.Value))) return c;
            return order.Compare(x.Key, y.Key);
        });
        return (all.Take(MaxTerms).ToList(), Math.Max(0, all.Count - MaxTerms));
    }

    /// <summary>
    /// A short text: "X0 X1 + Y0 Y1 + Z0 Z1", "0.5 (I + Z0 Z1)", "|00⟩⟨00| − 0.25 (|01⟩⟨10| + h.c.) + … (3 more terms)".
    /// </summary>
    public static string Text(IReadOnlyList<(double Coefficient, string Label)> terms, int omitted)
    {
        if (terms.Count == 0) return "0";
        static string Num(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        double first = Math.Abs(terms[0].Coefficient);
        bool common = terms.All(t => Math.Abs(Math.Abs(t.Coefficient) - first) <= 1e-9 * first) && omitted == 0;
        var sb = new StringBuilder();
        for (int i = 0; i < terms.Count; i++)
        {
            var (c, label) = terms[i];
            double mag = common ? 1 : Math.Abs(c);
            string coefficient = Math.Abs(mag - 1) < 1e-12 ? "" : Num(mag) + " ";
            if (i == 0) sb.Append(c < 0 ? "−" : "").Append(coefficient).Append(label);
            else sb.Append(c < 0 ? " − " : " + ").Append(coefficient).Append(label);
        }
        if (omitted > 0) sb.Append($" + … ({omitted} more term{(omitted == 1 ? "" : "s")})");
        if (common && terms.Count > 1 && Math.Abs(first - 1) > 1e-12) return $"{Num(first)} ({sb})";
        if (common && terms.Count == 1 && Math.Abs(first - 1) > 1e-12) return $"{Num(first)} {sb}";
        return sb.ToString();
    }
}

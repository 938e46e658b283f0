using Davies.Spaces;

namespace Davies.Symmetries;

/// <summary>
/// The action of a <see cref="SymmetryKind"/> on the site basis of a <see cref="HilbertSpace"/>: either a permutation
/// of the basis states (<see cref="Map"/>: flip, reflection, translation; all phases +1) of order <see cref="Order"/>,
/// or a diagonal quantum number (<see cref="Charge"/>: u1, parity).
/// </summary>
internal sealed class SiteSymmetry
{
    private SiteSymmetry(SymmetryKind kind, int[]? map, int[]? charge, int order, string description)
    {
        Kind = kind;
        Map = map;
        Charge = charge;
        Order = order;
        Description = description;
    }

    public SymmetryKind Kind { get; }

    /// <summary>g|s⟩ = |Map[s]⟩ for a permutation symmetry, else null.</summary>
    public int[]? Map { get; }

    /// <summary>The quantum number of |s⟩ for a diagonal symmetry, else null.</summary>
    public int[]? Charge { get; }

    /// <summary>The order of the permutation (2 for flip and reflection, n for translation; 0 for diagonal ones).</summary>
    public int Order { get; }

    /// <summary>What the symmetry is, for messages ("the global spin flip Π_i X_i").</summary>
    public string Description { get; }

    public bool IsPermutation => Map is not null;

    /// <summary>
    /// The symmetry on <paramref name="space"/>, or null with the reason when it does not exist there (e.g. a flip on a
    /// site that is not a qubit). <paramref name="invertQubits"/> (u1 only) counts a qubit's |0⟩ as the excitation.
    /// </summary>
    public static SiteSymmetry? Create(SymmetryKind kind, HilbertSpace space, out string? reason, bool invertQubits = false)
    {
        reason = null;
        int n = space.SiteCount, d = space.Dimension;
        var dims = space.Dimensions;
        var strides = Enumerable.Range(0, n).Select(space.Stride).ToArray();
        int[] Digits(int s)
        {
            var digits = new int[n];
            for (int k = 0; k < n; k++) digits[k] = s / strides[k] % dims[k];
            return digits;
        }
        int Index(int[] digits)
        {
            int s = 0;
            for (int k = 0; k < n; k++) s += digits[k] * strides[k];
            return s;
        }
        switch (kind)
        {
            case SymmetryKind.Flip:
                if (dims.Any(x => x != 2))
                {
                    reason = "the spin flip Π_i X_i needs every site to be a qubit (dimension 2)";
                    return null;
                }
                return new(kind, Enumerable.Range(0, d).Select(s => d - 1 - s).ToArray(), null, 2, "the global spin flip Π_i X_i");
            case SymmetryKind.Parity:
            {
                var charge = new int[d];
                for (int s = 0; s < d; s++) charge[s] = Digits(s).Sum() & 1;
                return new(kind, null, charge, 0, "the number parity Π_i (−1)^{n_i} (Π_i Z_i for qubits)");
            }
            case SymmetryKind.U1:
            {
                var charge = new int[d];
                for (int s = 0; s < d; s++)
                {
                    var digits = Digits(s);
                    int q = 0;
                    for (int k = 0; k < n; k++) q += invertQubits && dims[k] == 2 ? 1 - digits[k] : digits[k];
                    charge[s] = q;
                }
                return new(kind, null, charge, 0, invertQubits
                    ? "the number of excitations Σ_i n_i (qubits counted from |0⟩)"
                    : "the number of excitations Σ_i n_i (Σ_i Z_i for qubits)");
            }
            case SymmetryKind.Reflection:
                if (n < 2)
                {
                    reason = "a reflection needs at least two sites";
                    return null;
                }
                for (int k = 0; k < n; k++)
                    if (dims[k] != dims[n - 1 - k])
                    {
                        reason = $"the reflection i ↔ {n - 1} − i needs sites {k} and {n - 1 - k} of equal dimension (got {dims[k]} and {dims[n - 1 - k]})";
                        return null;
                    }
                return new(kind, Enumerable.Range(0, d).Select(s => Index(Digits(s).Reverse().ToArray())).ToArray(), null, 2,
                    $"the site reflection i ↔ {n - 1} − i");
            case SymmetryKind.Translation:
                if (n < 3)
                {
                    reason = "a translation needs at least three sites (on two it is the reflection)";
                    return null;
                }
                if (dims.Any(x => x != dims[0]))
                {
                    reason = "a translation needs every site to have the same dimension";
                    return null;
                }
                return new(kind, Enumerable.Range(0, d).Select(s =>
                {
                    var digits = Digits(s);
                    var shifted = new int[n];
                    for (int k = 0; k < n; k++) shifted[(k + 1) % n] = digits[k]; // site i → site i + 1
                    return Index(shifted);
                }).ToArray(), null, n, $"the translation i → i + 1 mod {n}");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Whether this and <paramref name="other"/> commute as operators (exact: from their actions).</summary>
    public bool CommutesWith(SiteSymmetry other)
    {
        if (Map is null && other.Map is null) return true;
        if (Map is not null && other.Map is not null)
        {
            for (int s = 0; s < Map.Length; s++)
                if (Map[other.Map[s]] != other.Map[Map[s]]) return false;
            return true;
        }
        var (map, charge) = Map is not null ? (Map, other.Charge!) : (other.Map!, Charge!);
        for (int s = 0; s < map.Length; s++)
            if (charge[map[s]] != charge[s]) return false;
        return true;
    }

    /// <summary>
    /// The largest entry of the commutator [H, g] (permutations: max |H[g(i), g(j)] − H[i, j]| over the stored entries and
    /// their images; diagonal symmetries: max |H[i, j]| over entries joining different quantum numbers).
    /// </summary>
    public double CommutatorDefect(Matrix<Complex> h)
    {
        if (h.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> dense)
            return DenseCommutatorDefect(dense.Data, h.RowCount);
        double worst = 0;
        if (Charge is { } q)
        {
            foreach (var (i, j, z) in h.EnumerateIndexed(Zeros.AllowSkip))
                if (q[i] != q[j]) worst = Math.Max(worst, z.Magnitude);
            return worst;
        }
        var map = Map!;
        var inverse = new int[map.Length];
        for (int s = 0; s < map.Length; s++) inverse[map[s]] = s;
        foreach (var (i, j, z) in h.EnumerateIndexed(Zeros.AllowSkip))
        {
            if (z == Complex.Zero) continue;
            worst = Math.Max(worst, (h[map[i], map[j]] - z).Magnitude);
            worst = Math.Max(worst, (h[inverse[i], inverse[j]] - z).Magnitude);
        }
        return worst;
    }

    // The same over a dense column-major array, every entry read once (no enumerator): for a permutation, every entry is
    // compared with its image, which covers the images of the zeros too.
    private double DenseCommutatorDefect(Complex[] data, int d)
    {
        double worst = 0;
        if (Charge is { } q)
        {
            for (int j = 0; j < d; j++)
            {
                int qj = q[j];
                long column = (long)j * d;
                for (int i = 0; i < d; i++)
                    if (q[i] != qj && data[column + i] != Complex.Zero) worst = Math.Max(worst, data[column + i].Magnitude);
            }
            return worst;
        }
        var map = Map!;
        for (int j = 0; j < d; j++)
        {
            long column = (long)j * d, image = (long)map[j] * d;
            for (int i = 0; i < d; i++)
            {
                var difference = data[image + map[i]] - data[column + i];
                if (difference != Complex.Zero) worst = Math.Max(worst, difference.Magnitude);
            }
        }
        return worst;
    }

    /// <summary>Whether g S g† = T entry for entry (to <paramref name="tolerance"/>), for a permutation symmetry.</summary>
    public bool MapsOnto(Matrix<Complex> s, Matrix<Complex> t, double tolerance)
    {
        var map = Map!;
        int nnzS = 0, nnzT = 0;
        foreach (var (i, j, z) in s.EnumerateIndexed(Zeros.AllowSkip))
        {
            if (z == Complex.Zero) continue;
            nnzS++;
            if ((t[map[i], map[j]] - z).Magnitude > tolerance) return false;
        }
        foreach (var (_, _, z) in t.EnumerateIndexed(Zeros.AllowSkip))
            if (z != Complex.Zero) nnzT++;
        return nnzS == nnzT || MapsOntoBothWays(s, t, tolerance);
    }

    private bool MapsOntoBothWays(Matrix<Complex> s, Matrix<Complex> t, double tolerance)
    {
        var map = Map!;
        var inverse = new int[map.Length];
        for (int k = 0; k < map.Length; k++) inverse[map[k]] = k;
        foreach (var (i, j, z) in t.EnumerateIndexed(Zeros.AllowSkip))
            if (z != Complex.Zero && (s[inverse[i], inverse[j]] - z).Magnitude > tolerance) return false;
        return true;
    }
}

using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// A sparse operator in the energy eigenbasis, block-diagonal over levels: the conserved quantities and projectors of
/// the ν = 0 sector. Entries keyed by m + n·d. Small helpers for the Hilbert–Schmidt geometry (⟨A, B⟩ = Tr A†B).
/// </summary>
internal sealed class EigenOperator
{
    public EigenOperator(int dimension) => Dimension = dimension;

    /// <summary>Dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The entries (m + n·d → value); exact zeros may be absent.</summary>
    public Dictionary<long, Complex> Entries { get; } = new();

    /// <summary>Adds <paramref name="v"/> at (m, n).</summary>
    public void Add(int m, int n, Complex v)
    {
        if (v == Complex.Zero) return;
        long key = m + (long)n * Dimension;
        Entries[key] = Entries.TryGetValue(key, out var old) ? old + v : v;
    }

    /// <summary>The value at (m, n).</summary>
    public Complex this[int m, int n] => Entries.TryGetValue(m + (long)n * Dimension, out var v) ? v : Complex.Zero;

    /// <summary>The identity.</summary>
    public static EigenOperator Identity(int d)
    {
        var x = new EigenOperator(d);
        for (int m = 0; m < d; m++) x.Add(m, m, 1);
        return x;
    }

    /// <summary>a·this + b·other.</summary>
    public EigenOperator Combine(Complex a, EigenOperator other, Complex b)
    {
        var y = new EigenOperator(Dimension);
        foreach (var (k, v) in Entries) y.Entries[k] = a * v;
        foreach (var (k, v) in other.Entries) y.Entries[k] = (y.Entries.TryGetValue(k, out var o) ? o : 0) + b * v;
        return y;
    }

    /// <summary>X†.</summary>
    public EigenOperator Adjoint()
    {
        var y = new EigenOperator(Dimension);
        foreach (var (k, v) in Entries)
        {
            int m = (int)(k % Dimension), n = (int)(k / Dimension);
            y.Entries[n + (long)m * Dimension] = Complex.Conjugate(v);
        }
        return y;
    }

    /// <summary>⟨this, other⟩ = Tr[this† other].</summary>
    public Complex Inner(EigenOperator other)
    {
        var (small, large, conjugateSmall) = Entries.Count <= other.Entries.Count ? (this, other, true) : (other, this, false);
        Complex s = 0;
        foreach (var (k, v) in small.Entries)
            if (large.Entries.TryGetValue(k, out var w)) s += conjugateSmall ? Complex.Conjugate(v) * w : Complex.Conjugate(w) * v;
        return s;
    }

    /// <summary>The Hilbert–Schmidt norm.</summary>
    public double Norm()
    {
        double s = 0;
        foreach (var v in Entries.Values) s += v.Real * v.Real + v.Imaginary * v.Imaginary;
        return Math.Sqrt(s);
    }

    /// <summary>The largest |entry|.</summary>
    public double MaxAbs() => Entries.Values.Select(v => v.Magnitude).DefaultIfEmpty(0).Max();

    /// <summary>Tr[ρ X] for ρ given in the eigenbasis (any storage).</summary>
    public Complex Expectation(Matrix<Complex> rhoEigen)
    {
        Complex s = 0;
        foreach (var (k, v) in Entries)
        {
            int m = (int)(k % Dimension), n = (int)(k / Dimension);
            s += v * rhoEigen[n, m];
        }
        return s;
    }

    /// <summary>The operator in the model's site basis, V X V† (re-indexing for a permuted basis).</summary>
    public Matrix<Complex> ToSiteBasis(EigenBasis basis, LinearAlgebra.ILinearAlgebraBackend? backend = null)
    {
        int d = Dimension;
        if (basis.Permutation is { } p)
        {
            var entries = Entries.Select(e => (p[(int)(e.Key % d)], p[(int)(e.Key / d)], e.Value));
            return d > 256 ? Matrix<Complex>.Build.SparseOfIndexed(d, d, entries) : Matrix<Complex>.Build.DenseOfIndexed(d, d, entries);
        }
        // V X V† level by level: X is block-diagonal over levels, so only the columns of V of the levels it touches.
        var used = new SortedSet<int>();
        foreach (var k in Entries.Keys) used.Add((int)(k % d));
        foreach (var k in Entries.Keys) used.Add((int)(k / d));
        var cols = used.ToArray();
        var local = new Dictionary<int, int>();
        for (int i = 0; i < cols.Length; i++) local[cols[i]] = i;
        var be = backend ?? LinearAlgebra.ManagedBackend.Instance;
        if (basis.RealVectors is { } rv && Entries.All(e => e.Key % d == e.Key / d && e.Value.Imaginary == 0))
        {
            // diagonal and real with real eigenvectors (populations): V diag(x) Vᵀ in real arithmetic
            var vr = Matrix<double>.Build.Dense(d, cols.Length, (i, j) => rv[i, cols[j]]);
            var scaled = Matrix<double>.Build.Dense(d, cols.Length, (i, j) => vr[i, j] * Entries[cols[j] + (long)cols[j] * d].Real);
            return be.Multiply(scaled, vr.Transpose()).ToComplex();
        }
        var x = Matrix<Complex>.Build.Dense(cols.Length, cols.Length);
        foreach (var (k, v) in Entries) x[local[(int)(k % d)], local[(int)(k / d)]] += v;
        var v0 = basis.Vectors;
        var vs = Matrix<Complex>.Build.Dense(d, cols.Length, (i, j) => v0[i, cols[j]]);
        return be.Multiply(be.Multiply(vs, x), vs.ConjugateTranspose());
    }
}

namespace Davies.Generators;

/// <summary>
/// A block of the Davies generator in compressed sparse rows (complex): the generator restricted to one invariant
/// component of a Bohr sector, in that component's local coordinates. Applied in O(non-zeros); the dense form is only
/// formed for small blocks and in tests.
/// </summary>
internal sealed class SparseSectorMatrix
{
    internal SparseSectorMatrix(int n, int[] rowStart, int[] columns, Complex[] values)
    {
        Dimension = n;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    /// <summary>Number of rows (= columns).</summary>
    public int Dimension { get; }

    /// <summary>Row pointers (length n + 1).</summary>
    public int[] RowStart { get; }

    /// <summary>Column index of each stored entry, ascending within a row.</summary>
    public int[] Columns { get; }

    /// <summary>Stored values.</summary>
    public Complex[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeros => RowStart[^1];

    /// <summary>y = M x.</summary>
    public void Multiply(ReadOnlySpan<Complex> x, Span<Complex> y)
    {
        for (int r = 0; r < Dimension; r++)
        {
            Complex acc = 0;
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++) acc += Values[k] * x[Columns[k]];
            y[r] = acc;
        }
    }

    /// <summary>The diagonal entries.</summary>
    public Complex[] Diagonal()
    {
        var diag = new Complex[Dimension];
        for (int r = 0; r < Dimension; r++)
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
                if (Columns[k] == r) diag[r] = Values[k];
        return diag;
    }

    /// <summary>The dense matrix.</summary>
    public Matrix<Complex> ToDense()
    {
        var m = Matrix<Complex>.Build.Dense(Dimension, Dimension);
        for (int r = 0; r < Dimension; r++)
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++) m[r, Columns[k]] = Values[k];
        return m;
    }

    /// <summary>The dense real matrix (the imaginary parts are dropped: for population blocks, which are real).</summary>
    public Matrix<double> ToDenseReal()
    {
        var m = Matrix<double>.Build.Dense(Dimension, Dimension);
        for (int r = 0; r < Dimension; r++)
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++) m[r, Columns[k]] = Values[k].Real;
        return m;
    }

    /// <summary>max |M_kl| (a scale).</summary>
    public double MaxAbs()
    {
        double max = 0;
        foreach (var v in Values) max = Math.Max(max, v.Magnitude);
        return max;
    }

    /// <summary>
    /// A rigorous lower bound on the decay rate −Re λ of every eigenvalue. With the positive weights t_k, every
    /// eigenvalue of M lies in the numerical range of A = T⁻¹ M T (T = diag t), so Re λ ≤ λ_max(½(A + A†)) ≤ λ_max(B)
    /// with B = diag(Re A_kk) + ½(|A| + |A|ᵀ) off the diagonal, and for the non-negative off-diagonal B the
    /// Collatz–Wielandt inequality gives λ_max(B) ≤ max_k (B t)_k / t_k for any positive t:
    /// Re λ ≤ max_k [Re M_kk + ½ Σ_{l≠k} (|M_kl| t_l² / t_k² + |M_lk|)].
    /// With the KMS weights t_(m,n) = (p_m p_n)^{1/4} the vector t is the stationary vector of the symmetrised
    /// population dynamics, and the bound is exact for a coherence that decays at one rate times a population block.
    /// </summary>
    public double DecayLowerBound(ReadOnlySpan<double> t)
    {
        int n = Dimension;
        var column = new double[n];
        var row = new double[n];
        var diag = new double[n];
        for (int r = 0; r < n; r++)
        {
            double tr2 = t[r] * t[r];
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
            {
                int c = Columns[k];
                if (c == r)
                {
                    diag[r] = Values[k].Real;
                    continue;
                }
                double a = Values[k].Magnitude;
                row[r] += a * t[c] * t[c] / tr2;
                column[c] += a;
            }
        }
        double worst = double.NegativeInfinity;
        for (int r = 0; r < n; r++) worst = Math.Max(worst, diag[r] + 0.5 * (row[r] + column[r]));
        return -worst;
    }
}

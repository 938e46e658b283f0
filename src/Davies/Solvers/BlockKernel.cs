using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// The kernel of one invariant block M of a generator (local coordinates 0 … n−1) as a biorthogonal pair: right
/// vectors r_j (stationary, M r_j = 0) and left vectors l_j (conserved, M† l_j = 0) with Σ_e conj(l_i[e]) r_j[e] = δ_ij.
/// Then x ↦ Σ_j r_j ⟨l_j, x⟩ is the projection onto the kernel along the range: the t → ∞ limit of e^{Mt}x (its time
/// average when undamped oscillations are present), and the l_j are the block's conserved quantities L†(X) = 0.
/// <para>
/// A classical Markov block (real, populations only) is held by its closed classes C: r_C the stationary distribution
/// on C, l_C the absorption probability into C (1 on C, 0 on the other closed classes, the probability of ending in C
/// from a transient state). Otherwise the vectors are dense.
/// </para>
/// </summary>
internal sealed class BlockKernel
{
    private readonly Complex[][]? _left, _right;

    private BlockKernel(int size, Complex[][]? left, Complex[][]? right, int[][]? classes, double[][]? pi, int[]? transient,
        double[][]? absorption)
    {
        Size = size;
        _left = left;
        _right = right;
        Classes = classes;
        Pi = pi;
        Transient = transient;
        Absorption = absorption;
        Dimension = classes?.Length ?? left!.Length;
    }

    /// <summary>Block size n.</summary>
    public int Size { get; }

    /// <summary>Kernel dimension k.</summary>
    public int Dimension { get; }

    /// <summary>True for a classical Markov block held by its closed classes.</summary>
    public bool IsMarkov => Classes is not null;

    /// <summary>Markov block: the closed classes (local indices, ascending), in order of their smallest state.</summary>
    public int[][]? Classes { get; }

    /// <summary>Markov block: the stationary distribution of each closed class, aligned with <see cref="Classes"/>.</summary>
    public double[][]? Pi { get; }

    /// <summary>Markov block: the transient states (local indices, ascending).</summary>
    public int[]? Transient { get; }

    /// <summary>Markov block: [class][transient position] the probability of being absorbed in that class.</summary>
    public double[][]? Absorption { get; }

    /// <summary>The empty kernel of a block of size <paramref name="size"/>.</summary>
    public static BlockKernel Empty(int size) => new(size, [], [], null, null, null, null);

    /// <summary>A kernel given by dense vectors, already biorthogonal.</summary>
    public static BlockKernel Dense(int size, Complex[][] left, Complex[][] right) => new(size, left, right, null, null, null, null);

    /// <summary>
    /// The kernel of a block from its right and left null vectors (columns of <paramref name="r"/> and
    /// <paramref name="u"/>), made biorthogonal: l = U (U†R)^{−†}, so that l†R = 1.
    /// </summary>
    public static BlockKernel FromNullVectors(Matrix<Complex> r, Matrix<Complex> u)
    {
        int n = r.RowCount, k = r.ColumnCount;
        if (k == 0) return Empty(n);
        var m = u.ConjugateTranspose() * r;           // k×k, invertible when 0 is a semisimple eigenvalue
        var left = u * m.Inverse().ConjugateTranspose();
        var lv = new Complex[k][];
        var rv = new Complex[k][];
        for (int j = 0; j < k; j++)
        {
            lv[j] = left.Column(j).ToArray();
            rv[j] = r.Column(j).ToArray();
        }
        return new BlockKernel(n, lv, rv, null, null, null, null);
    }

    /// <summary>
    /// The kernel of a classical Markov generator W (rate m → n in W[n, m], columns summing to zero): its closed
    /// communicating classes (Tarjan), each class's stationary distribution (a linear solve on the class) and the
    /// absorption probabilities of the transient states (one linear solve on the transients per class).
    /// <para>
    /// With <paramref name="energies"/> and <paramref name="beta"/> (one temperature, so detailed balance is expected),
    /// each class first tries the Gibbs weights e^{−βE} restricted to it (<see cref="DetailedBalanceCandidate"/>): they
    /// are kept when their residual is at the level of rounding in the rates, and the class's linear solve (an LU of
    /// |C|³, 33 s at |C| = 16384) is skipped; otherwise, and without energies, the solve decides.
    /// </para>
    /// </summary>
    public static BlockKernel Markov(Matrix<double> w, ILinearAlgebraBackend backend, double[]? energies = null, double beta = double.NaN)
    {
        int n = w.RowCount;
        var closed = GeneratorKernel.ClosedClassList(w);
        var inClosed = new int[n];
        Array.Fill(inClosed, -1);
        for (int c = 0; c < closed.Count; c++) foreach (int m in closed[c]) inClosed[m] = c;
        var transient = Enumerable.Range(0, n).Where(m => inClosed[m] < 0).ToArray();
        var absorption = new double[closed.Count][];
        if (transient.Length > 0)
        {
            // h_C on transients: Σ_k W[k, j] h(k) = 0 for j transient, h = 1 on C, 0 on other closed classes.
            var wtt = Matrix<double>.Build.Dense(transient.Length, transient.Length, (a, b) => w[transient[b], transient[a]]);
            for (int c = 0; c < closed.Count; c++)
            {
                var rhs = Vector<double>.Build.Dense(transient.Length, a => -closed[c].Sum(k => w[k, transient[a]]));
                absorption[c] = backend.Solve(wtt, rhs).ToArray();
            }
        }
        else for (int c = 0; c < closed.Count; c++) absorption[c] = [];
        var pi = new double[closed.Count][];
        for (int c = 0; c < closed.Count; c++)
        {
            var idx = closed[c];
            if (idx.Length == 1)
            {
                pi[c] = [1.0];
                continue;
            }
            if (energies is not null && DetailedBalanceCandidate(w, idx, energies, beta) is { } gibbs)
            {
                pi[c] = gibbs;
                continue;
            }
            var sub = GeneratorKernel.Gather(w, idx);
            sub.SetRow(0, Vector<double>.Build.Dense(idx.Length, 1.0));
            var rhs = Vector<double>.Build.Dense(idx.Length);
            rhs[0] = 1;
            pi[c] = backend.Solve(sub, rhs).ToArray();
        }
        return new BlockKernel(n, null, null, closed.ToArray(), pi, transient, absorption);
    }

    /// <summary>
    /// Accepts the Gibbs weights as the stationary distribution of a closed class when their residual is rounding:
    /// ‖W π‖₁ ≤ <see cref="DetailedBalanceTolerance"/> × Σ_m Γ_m π_m (Γ_m = −W[m, m] the escape rates, so the right side
    /// is the total probability flux out of the states, which every term of W π is a difference of). KMS makes
    /// W[n, m] π_m = W[m, n] π_n term by term, so the residual of the exact Gibbs weights is the rounding of the rates
    /// and of the grouped Bohr frequencies they are evaluated at (≲ 1e-15 relative for sharp Bohr groups); a solve reaches
    /// the same level, and the two answers differ by at most residual / gap. Null when the test fails (other rates, a
    /// Bohr grouping wide enough to break detailed balance beyond rounding): the caller solves.
    /// </summary>
    internal static double[]? DetailedBalanceCandidate(Matrix<double> w, int[] idx, double[] energies, double beta)
    {
        if (!(beta >= 0)) return null;
        int n = w.RowCount, k = idx.Length;
        var data = DenseKernels.Data(w);
        double e0 = double.PositiveInfinity;
        foreach (int m in idx) e0 = Math.Min(e0, energies[m]);
        var p = new double[k];
        double total = 0;
        for (int a = 0; a < k; a++)
        {
            double x = energies[idx[a]] - e0;
            p[a] = x == 0 ? 1 : Math.Exp(-beta * x); // β = ∞ (T = 0): only the class's lowest level(s)
            total += p[a];
        }
        if (!(total > 0) || !double.IsFinite(total)) return null;
        for (int a = 0; a < k; a++) p[a] /= total;
        // W π on the class, column by column (a closed class has no rate out of it); flux = Σ Γ_m π_m
        var r = new double[k];
        double flux = 0;
        for (int b = 0; b < k; b++)
        {
            long col = (long)idx[b] * n;
            double pb = p[b];
            flux -= data[idx[b] + col] * pb;
            if (pb == 0) continue;
            for (int a = 0; a < k; a++) r[a] += data[idx[a] + col] * pb;
        }
        double residual = 0;
        foreach (double x in r) residual += Math.Abs(x);
        return residual <= DetailedBalanceTolerance * flux ? p : null;
    }

    /// <summary>The relative residual under which the Gibbs weights are accepted (see <see cref="DetailedBalanceCandidate"/>).</summary>
    internal const double DetailedBalanceTolerance = 1e-12;

    /// <summary>
    /// The Markov limit Σ_C π_C (Σ_m h_C(m) p0(m)) of a real start <paramref name="p0"/> (populations of the block).
    /// </summary>
    public double[] MarkovLimit(ReadOnlySpan<double> p0)
    {
        var p = new double[Size];
        for (int c = 0; c < Classes!.Length; c++)
        {
            double weight = 0;
            foreach (int m in Classes[c]) weight += p0[m];
            for (int a = 0; a < Transient!.Length; a++) weight += p0[Transient[a]] * Absorption![c][a];
            var idx = Classes[c];
            for (int a = 0; a < idx.Length; a++) p[idx[a]] = weight * Pi![c][a];
        }
        return p;
    }

    /// <summary>The projection Σ_j r_j ⟨l_j, x0⟩ of a start <paramref name="x0"/> (block coordinates).</summary>
    public Complex[] Limit(ReadOnlySpan<Complex> x0)
    {
        if (IsMarkov)
        {
            var p0 = new double[Size];
            for (int k = 0; k < Size; k++) p0[k] = x0[k].Real;
            var p = MarkovLimit(p0);
            var z = new Complex[Size];
            for (int k = 0; k < Size; k++) z[k] = p[k];
            return z;
        }
        var y = new Complex[Size];
        for (int j = 0; j < Dimension; j++)
        {
            Complex c = 0;
            var l = _left![j];
            for (int e = 0; e < Size; e++) if (x0[e] != Complex.Zero) c += Complex.Conjugate(l[e]) * x0[e];
            if (c == Complex.Zero) continue;
            var r = _right![j];
            for (int e = 0; e < Size; e++) y[e] += c * r[e];
        }
        return y;
    }

    /// <summary>The left (conserved) vector l_j in block coordinates.</summary>
    public Complex[] Left(int j)
    {
        if (!IsMarkov) return _left![j];
        var l = new Complex[Size];
        foreach (int m in Classes![j]) l[m] = 1;
        for (int a = 0; a < Transient!.Length; a++) l[Transient[a]] = Absorption![j][a];
        return l;
    }

    /// <summary>The right (stationary) vector r_j in block coordinates.</summary>
    public Complex[] Right(int j)
    {
        if (!IsMarkov) return _right![j];
        var r = new Complex[Size];
        var idx = Classes![j];
        for (int a = 0; a < idx.Length; a++) r[idx[a]] = Pi![j][a];
        return r;
    }
}

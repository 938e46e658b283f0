using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>Kernel analysis and stationary solutions of generator matrices (internal numerics).</summary>
internal static class GeneratorKernel
{
    /// <summary>Relative singular-value threshold for the kernel of a generator: 1e-10 × σ_max.</summary>
    public const double KernelRelativeTolerance = 1e-10;

    /// <summary>
    /// Stationary vector of a trace-preserving generator matrix <paramref name="l"/>: when the kernel is
    /// one-dimensional the solution of L x = 0, t·x = 1; otherwise the projection of <paramref name="start"/> onto
    /// the kernel along the range (the t → ∞ limit, time-averaged if the kernel part oscillates).
    /// <paramref name="populationRow"/> is a row that may be replaced by the trace condition.
    /// </summary>
    public static (Vector<Complex> X, int KernelDimension) Solve(Matrix<Complex> l, Vector<Complex> trace,
        Vector<Complex> start, int populationRow, int? knownKernelDimension, ILinearAlgebraBackend backend)
    {
        var (x, k, _) = SolveWithKernel(l, trace, start, populationRow, knownKernelDimension, backend);
        return (x, k);
    }

    /// <summary>
    /// As <see cref="Solve"/>, and when the kernel has more than one dimension also its biorthogonal pair (from the same
    /// singular value decomposition): the left vectors are the conserved quantities.
    /// </summary>
    public static (Vector<Complex> X, int KernelDimension, BlockKernel? Kernel) SolveWithKernel(Matrix<Complex> l, Vector<Complex> trace,
        Vector<Complex> start, int populationRow, int? knownKernelDimension, ILinearAlgebraBackend backend)
    {
        int n = l.RowCount;
        int k;
        (double[] S, Matrix<Complex> U, Matrix<Complex> VH)? svd = null;
        if (knownKernelDimension is { } known) k = known;
        else
        {
            svd = backend.Svd(l);
            k = CountKernel(svd.Value.S);
        }
        if (k <= 1)
        {
            var a = l.Clone();
            a.SetRow(populationRow, trace.Conjugate());
            var rhs = Vector<Complex>.Build.Dense(n);
            rhs[populationRow] = 1;
            return (backend.Solve(a, rhs), Math.Max(k, 1), null);
        }
        var (_, u, vh) = svd ?? backend.Svd(l);
        var pair = NullVectors(u, vh, k);
        return (Vector<Complex>.Build.Dense(pair.Limit(start.ToArray())), k, pair);
    }

    public static int CountKernel(double[] singularValues)
    {
        double max = singularValues.Length == 0 ? 0 : singularValues.Max();
        if (max == 0) return singularValues.Length;
        return singularValues.Count(x => x <= KernelRelativeTolerance * max);
    }

    /// <summary>
    /// Number of closed communicating classes of the Markov generator W (rate m → n in W[n, m] &gt; 0): the
    /// dimension of its kernel, exactly.
    /// </summary>
    public static int ClosedClasses(Matrix<double> w) => Classes(w).Closed.Count;

    /// <summary>The communicating classes of a Markov generator: component of each state, and the closed classes.</summary>
    private static (int[] Component, List<int[]> Closed) Classes(Matrix<double> w)
    {
        int n = w.RowCount;
        var data = DenseKernels.Data(w);
        // Irreducible (the common case): every state reachable from state 0 and state 0 from every state. Two
        // searches over the matrix itself, without adjacency lists; one class, closed.
        if (n > 0 && Reaches(data, n, forward: true) && Reaches(data, n, forward: false))
            return (new int[n], [Enumerable.Range(0, n).ToArray()]);
        var adj = new List<int>[n];
        for (int m = 0; m < n; m++)
        {
            adj[m] = [];
            for (int k = 0; k < n; k++) if (k != m && data[k + m * n] > 0) adj[m].Add(k);
        }
        var comp = StronglyConnected(adj);
        int count = comp.Max() + 1;
        var leaves = new bool[count];
        for (int m = 0; m < n; m++) foreach (var k in adj[m]) if (comp[k] != comp[m]) leaves[comp[m]] = true;
        var closed = Enumerable.Range(0, count).Where(c => !leaves[c])
            .Select(c => Enumerable.Range(0, n).Where(m => comp[m] == c).ToArray()).ToList();
        return (comp, closed);
    }

    // Whether a search from state 0 reaches every state: along transitions m → k (W[k, m] > 0: column m, contiguous)
    // when forward, against them (W[m, k] > 0: row m) otherwise. O(n²) reads either way.
    private static bool Reaches(double[] data, int n, bool forward)
    {
        var seen = new bool[n];
        var stack = new Stack<int>();
        seen[0] = true;
        stack.Push(0);
        int count = 1;
        while (stack.Count > 0)
        {
            int m = stack.Pop();
            long col = (long)m * n;
            for (int k = 0; k < n; k++)
            {
                if (seen[k] || !(forward ? data[col + k] > 0 : data[m + (long)k * n] > 0)) continue;
                seen[k] = true;
                count++;
                stack.Push(k);
            }
        }
        return count == n;
    }

    /// <summary>
    /// The t → ∞ limit of dp/dt = W p from <paramref name="p0"/> for a classical Markov generator (columns sum to 0),
    /// and the number of closed classes (= the dimension of the kernel). Each closed class C gets its own stationary
    /// distribution π_C (a linear solve on C), weighted by the probability mass that ends in C: what p0 puts on C
    /// plus what flows in from the transient states (absorption probabilities, one linear solve on the transients).
    /// See <see cref="BlockKernel.Markov"/>.
    /// </summary>
    public static (Vector<double> P, int ClosedClasses) MarkovLimit(Matrix<double> w, Vector<double> p0, ILinearAlgebraBackend backend)
    {
        var kernel = BlockKernel.Markov(w, backend);
        return (Vector<double>.Build.Dense(kernel.MarkovLimit(p0.AsArray() ?? p0.ToArray())), kernel.Dimension);
    }

    /// <summary>The closed communicating classes of a Markov generator (ascending states, in order of their smallest state).</summary>
    internal static List<int[]> ClosedClassList(Matrix<double> w) =>
        Classes(w).Closed.OrderBy(c => c[0]).ToList();

    /// <summary>
    /// The right and left null vectors of <paramref name="l"/> (columns; σ ≤ 1e-10 σ_max) as a biorthogonal
    /// <see cref="BlockKernel"/>.
    /// </summary>
    internal static BlockKernel KernelPair(Matrix<Complex> l, ILinearAlgebraBackend backend, double? scale = null)
    {
        var (s, u, vh) = backend.Svd(l);
        double max = Math.Max(s.DefaultIfEmpty(0).Max(), scale ?? 0);
        int k = max == 0 ? s.Length : s.Count(x => x <= KernelRelativeTolerance * max);
        return NullVectors(u, vh, k);
    }

    // The biorthogonal kernel pair from the last k singular vectors of L = U Σ V†: right kernel the rows of V†
    // (conjugated), left kernel the columns of U.
    private static BlockKernel NullVectors(Matrix<Complex> u, Matrix<Complex> vh, int k)
    {
        int n = u.RowCount;
        var r = Matrix<Complex>.Build.Dense(n, k);
        var ul = Matrix<Complex>.Build.Dense(n, k);
        for (int c = 0; c < k; c++)
        {
            int idx = n - k + c;
            r.SetColumn(c, vh.Row(idx).Conjugate());
            ul.SetColumn(c, u.Column(idx));
        }
        return BlockKernel.FromNullVectors(r, ul);
    }

    // W restricted to the states idx (rows and columns), read column by column.
    internal static Matrix<double> Gather(Matrix<double> w, int[] idx)
    {
        int k = idx.Length, n = w.RowCount;
        var data = DenseKernels.Data(w);
        var sub = LargeArrays.Zeroed<double>((long)k * k);
        Parallel.For(0, k, DenseKernels.ParallelOver(k), b =>
        {
            long col = (long)idx[b] * n, to = (long)b * k;
            if (k == n) Array.Copy(data, col, sub, to, k);
            else for (int a = 0; a < k; a++) sub[to + a] = data[col + idx[a]];
        });
        return Matrix<double>.Build.Dense(k, k, sub);
    }

    /// <summary>W p for a column-major W, one contiguous column at a time.</summary>
    internal static Vector<double> Apply(Matrix<double> w, Vector<double> p)
    {
        int n = w.RowCount;
        var data = DenseKernels.Data(w);
        var y = new double[n];
        for (int m = 0; m < n; m++)
        {
            double pm = p[m];
            if (pm == 0) continue;
            var col = data.AsSpan((int)((long)m * n), n);
            for (int r = 0; r < n; r++) y[r] += pm * col[r];
        }
        return Vector<double>.Build.Dense(y);
    }

    // Tarjan's algorithm, iterative.
    private static int[] StronglyConnected(List<int>[] adj)
    {
        int n = adj.Length, index = 0, compCount = 0;
        var idx = Enumerable.Repeat(-1, n).ToArray();
        var low = new int[n];
        var onStack = new bool[n];
        var comp = new int[n];
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        for (int s = 0; s < n; s++)
        {
            if (idx[s] >= 0) continue;
            work.Push((s, 0));
            while (work.Count > 0)
            {
                var (v, e) = work.Pop();
                if (e == 0)
                {
                    idx[v] = low[v] = index++;
                    stack.Push(v);
                    onStack[v] = true;
                }
                bool recursed = false;
                for (int i = e; i < adj[v].Count; i++)
                {
                    int t = adj[v][i];
                    if (idx[t] < 0)
                    {
                        work.Push((v, i + 1));
                        work.Push((t, 0));
                        recursed = true;
                        break;
                    }
                    if (onStack[t]) low[v] = Math.Min(low[v], idx[t]);
                }
                if (recursed) continue;
                if (low[v] == idx[v])
                {
                    int x;
                    do { x = stack.Pop(); onStack[x] = false; comp[x] = compCount; } while (x != v);
                    compCount++;
                }
                if (work.Count > 0)
                {
                    var (parent, _) = work.Peek();
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }
        return comp;
    }
}

using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>Kernel analysis and stationary solutions of generator matrices (internal numerics).</summary>
internal static class Stationary
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
            return (backend.Solve(a, rhs), Math.Max(k, 1));
        }
        var (s, u, vh) = svd ?? backend.Svd(l);
        // right kernel: rows of VH (conjugated) with σ ≈ 0; left kernel: columns of U with σ ≈ 0
        var r = Matrix<Complex>.Build.Dense(n, k);
        var ul = Matrix<Complex>.Build.Dense(n, k);
        for (int c = 0; c < k; c++)
        {
            int idx = n - k + c;
            r.SetColumn(c, vh.Row(idx).Conjugate());
            ul.SetColumn(c, u.Column(idx));
        }
        var coeff = (ul.ConjugateTranspose() * r).Solve(ul.ConjugateTranspose() * start);
        return (r * coeff, k);
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
    public static int ClosedClasses(Matrix<double> w)
    {
        int n = w.RowCount;
        var adj = new List<int>[n];
        for (int m = 0; m < n; m++)
        {
            adj[m] = [];
            for (int k = 0; k < n; k++) if (k != m && w[k, m] > 0) adj[m].Add(k);
        }
        var comp = StronglyConnected(adj);
        int count = comp.Max() + 1;
        var leaves = new bool[count];
        for (int m = 0; m < n; m++) foreach (var k in adj[m]) if (comp[k] != comp[m]) leaves[comp[m]] = true;
        return leaves.Count(x => !x);
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

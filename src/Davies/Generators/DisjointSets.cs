namespace Davies.Generators;

/// <summary>
/// Union–find over 0 … n−1 with path halving; the representative of a set is always its smallest member, so that
/// classes can be numbered in order of their first element.
/// </summary>
internal sealed class DisjointSets
{
    private readonly int[] _parent;

    public DisjointSets(int n)
    {
        _parent = new int[n];
        for (int i = 0; i < n; i++) _parent[i] = i;
        Count = n;
    }

    /// <summary>The representative (smallest member) of the set holding <paramref name="x"/>.</summary>
    public int Find(int x)
    {
        var parent = _parent;
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Union(int a, int b) => Merge(a, b);

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>; whether they were distinct.</summary>
    public bool Merge(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b) return false;
        _parent[Math.Max(a, b)] = Math.Min(a, b);
        Count--;
        return true;
    }

    /// <summary>The number of sets.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Joins eigenvector m with every n &gt; m that a coupling's column m reaches (A[n, m] ≠ 0, exact zeros after block
    /// cleaning): the step of the eigenvector classes no coupling leaves (<see cref="Spectral.JumpOperators.Classes"/>).
    /// </summary>
    public void JoinColumn(Spectral.CouplingMatrix a, int m)
    {
        int d = a.Dimension;
        long col = (long)m * d;
        for (int n = m + 1; n < d && Count > 1; n++)
            if (a.Norm2(n + col) != 0) Merge(n, m);
    }
}

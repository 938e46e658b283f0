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
    }

    /// <summary>The representative (smallest member) of the set holding <paramref name="x"/>.</summary>
    public int Find(int x)
    {
        var parent = _parent;
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a != b) _parent[Math.Max(a, b)] = Math.Min(a, b);
    }
}

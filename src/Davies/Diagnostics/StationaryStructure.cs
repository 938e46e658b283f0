using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The pieces of the ν = 0 sector that carry a kernel, as the steady-state solver found them: each an invariant block
/// of the generator (a set of eigenbasis coherences (m, n) in the same level) with its <see cref="BlockKernel"/>.
/// Identical blocks may share one kernel object.
/// </summary>
internal interface IKernelPieces
{
    /// <summary>Number of pieces.</summary>
    int Count { get; }

    /// <summary>The kernel of piece <paramref name="piece"/> (dimension ≥ 1).</summary>
    BlockKernel Kernel(int piece);

    /// <summary>The eigenbasis coherence (m, n) of local coordinate <paramref name="local"/> of piece <paramref name="piece"/>.</summary>
    (int Row, int Column) Element(int piece, int local);
}

/// <summary>An invariant subspace found by <see cref="StationaryStructure"/>: a diagonal projector onto eigenvectors
/// (<see cref="Indices"/>) or, per level, orthonormal vectors in level-local coordinates (<see cref="Blocks"/>).</summary>
internal sealed record SubspaceData(int[]? Indices, (int Level, Matrix<Complex> Vectors)[]? Blocks, int Dimension,
    long KernelDimension, bool Resolved, int LowestLevel);

/// <summary>
/// The structure of the stationary set of a Davies generator in its ν = 0 sector, computed alongside the steady state
/// (see docs/conserved.md): the number of conserved quantities (the kernel dimension of L†, equal to that of L), the
/// invariant subspaces (minimal central projections of the algebra of conserved quantities, restricted to the
/// recurrent part), the transient eigenvectors, and a few conserved quantities to show (all of them when there are at
/// most <see cref="FullBasisLimit"/>).
/// </summary>
internal sealed class StationaryStructure
{
    /// <summary>Up to this many conserved quantities the whole basis is kept (and made canonical for display).</summary>
    internal const int FullBasisLimit = 64;

    /// <summary>Largest number of conserved quantities kept for display when there are more.</summary>
    internal const int CandidateLimit = 64;

    /// <summary>Relative size below which a kernel-vector entry is treated as zero when linking atoms: 1e-9.</summary>
    internal const double EntryTolerance = 1e-9;

    /// <summary>
    /// At T = 0: a population of a (non-Markov) block is recurrent when some stationary vector of the block puts more than
    /// this fraction of its largest diagonal entry on it: 1e-10.
    /// </summary>
    internal const double RecurrentTolerance = 1e-10;

    public required long KernelDimension { get; init; }
    public required bool Faithful { get; init; }
    public required IReadOnlyList<SubspaceData> Subspaces { get; init; }
    public required int[] Transient { get; init; }
    /// <summary>Conserved quantities of the blocks (all of them when <see cref="CompleteBasis"/>).</summary>
    public required IReadOnlyList<(EigenOperator Operator, string Description)> Candidates { get; init; }

    /// <summary>The conserved quantities equal to the invariant subspaces' projectors on the recurrent part (when several).</summary>
    public required IReadOnlyList<(EigenOperator Operator, string Description)> Central { get; init; }
    public required bool CompleteBasis { get; init; }

    /// <summary>The structure of a unique steady state: the identity, one subspace (the recurrent eigenvectors).</summary>
    public static StationaryStructure Unique(EigenBasis basis, bool[] recurrent)
    {
        int d = basis.Dimension;
        var idx = Enumerable.Range(0, d).Where(m => recurrent[m]).ToArray();
        var transient = Enumerable.Range(0, d).Where(m => !recurrent[m]).ToArray();
        return new StationaryStructure
        {
            KernelDimension = 1,
            Faithful = transient.Length == 0,
            Subspaces = [new SubspaceData(idx, null, idx.Length, 1, true, idx.Length > 0 ? basis.LevelOf(idx[0]) : 0)],
            Transient = transient,
            Candidates = [],
            Central = [],
            CompleteBasis = true,
        };
    }

    /// <summary>
    /// Whether every rate the generator uses is matched by the reverse one (G_b(ω) &gt; 0 ⇔ G_b(−ω) &gt; 0: every bath
    /// at T &gt; 0 satisfies KMS). Then the set of jump operators is closed under adjoints, the generator has a faithful
    /// stationary state, nothing is transient, and the conserved quantities form the commutant of H_S + H_LS and the
    /// S_α(ω) (a *-algebra).
    /// </summary>
    public static bool HasFaithfulState(EnergyBasisModel dm)
    {
        var jumps = dm.Jumps;
        for (int b = 0; b < jumps.BathCount; b++)
            for (int k = 1; k <= dm.Bohr.PositiveCount; k++)
            {
                double gp = jumps.Rate(b, k), gm = jumps.Rate(b, -k);
                bool p = gp > 0, m = gm > 0; // NaN: never used
                if (p != m) return false;
            }
        return true;
    }

    /// <summary>
    /// Builds the structure from the kernel pieces. Atoms: the closed classes of Markov pieces and the recurrent
    /// populations of the other pieces (each an indicator in the algebra of conserved quantities). Links: a conserved
    /// coherence X_mn ≠ 0 joins the atoms of m and n. The groups of linked atoms are the invariant subspaces, unless an
    /// atom is linked to itself or a piece holds several conserved quantities over one atom: then the group is split by
    /// <see cref="CentralDecomposition"/> (joint eigenspaces of a generic conserved quantity).
    /// </summary>
    public static StationaryStructure Build(IKernelPieces pieces, EigenBasis basis, bool faithful, ILinearAlgebraBackend backend,
        CancellationToken cancellation = default)
    {
        int d = basis.Dimension;
        var atomOf = new int[d];
        Array.Fill(atomOf, -1);
        var recurrent = new bool[d];
        if (faithful) Array.Fill(recurrent, true);
        var flagged = new List<bool>();
        var sets = new DisjointSets(d);
        long total = 0;

        // 1. Atoms.
        for (int p = 0; p < pieces.Count; p++)
        {
            cancellation.ThrowIfCancellationRequested();
            var ker = pieces.Kernel(p);
            total += ker.Dimension;
            if (ker.IsMarkov)
            {
                foreach (var cls in ker.Classes!)
                {
                    int atom = flagged.Count;
                    flagged.Add(false);
                    int first = pieces.Element(p, cls[0]).Row;
                    foreach (int local in cls)
                    {
                        int m = pieces.Element(p, local).Row;
                        atomOf[m] = atom;
                        recurrent[m] = true;
                        sets.Union(first, m);
                    }
                }
                continue;
            }
            var pops = new List<(int Local, int M)>();
            for (int e = 0; e < ker.Size; e++)
            {
                var (m, n) = pieces.Element(p, e);
                if (m == n) pops.Add((e, m));
            }
            if (pops.Count == 0) continue;
            if (!faithful)
            {
                double max = 0;
                var weight = new double[pops.Count];
                for (int j = 0; j < ker.Dimension; j++)
                {
                    var r = ker.Right(j);
                    for (int a = 0; a < pops.Count; a++) weight[a] = Math.Max(weight[a], r[pops[a].Local].Magnitude);
                }
                max = weight.DefaultIfEmpty(0).Max();
                pops = pops.Where((_, a) => weight[a] > RecurrentTolerance * max).ToList();
                if (pops.Count == 0) continue;
            }
            int id = flagged.Count;
            flagged.Add(ker.Dimension > 1);
            foreach (var (_, m) in pops)
            {
                atomOf[m] = id;
                recurrent[m] = true;
                sets.Union(pops[0].M, m);
            }
        }

        // 2. Links by conserved coherences.
        for (int p = 0; p < pieces.Count; p++)
        {
            cancellation.ThrowIfCancellationRequested();
            var ker = pieces.Kernel(p);
            if (ker.IsMarkov) continue;
            for (int j = 0; j < ker.Dimension; j++)
            {
                var l = ker.Left(j);
                double max = l.Select(z => z.Magnitude).DefaultIfEmpty(0).Max();
                for (int e = 0; e < ker.Size; e++)
                {
                    var (m, n) = pieces.Element(p, e);
                    if (m == n || !recurrent[m] || !recurrent[n] || l[e].Magnitude <= EntryTolerance * max) continue;
                    if (atomOf[m] >= 0 && atomOf[m] == atomOf[n]) flagged[atomOf[m]] = true;
                    sets.Union(m, n);
                }
            }
        }

        // 3. Groups (ordered by their smallest eigenvector), their kernel counts and flags.
        var groupOf = new int[d];
        var groups = new List<List<int>>();
        for (int m = 0; m < d; m++)
        {
            if (!recurrent[m])
            {
                groupOf[m] = -1;
                continue;
            }
            int root = sets.Find(m);
            if (root == m)
            {
                groupOf[m] = groups.Count;
                groups.Add([]);
            }
            else groupOf[m] = groupOf[root];
            groups[groupOf[m]].Add(m);
        }
        var groupKernel = new long[groups.Count];
        var groupFlagged = new bool[groups.Count];
        for (int m = 0; m < d; m++) if (atomOf[m] >= 0 && flagged[atomOf[m]]) groupFlagged[groupOf[m]] = true;
        for (int p = 0; p < pieces.Count; p++)
        {
            var ker = pieces.Kernel(p);
            if (ker.IsMarkov)
            {
                foreach (var cls in ker.Classes!) groupKernel[groupOf[pieces.Element(p, cls[0]).Row]]++;
                continue;
            }
            for (int e = 0; e < ker.Size; e++)
            {
                var (m, n) = pieces.Element(p, e);
                if (recurrent[m] && recurrent[n])
                {
                    groupKernel[groupOf[m]] += ker.Dimension;
                    break;
                }
            }
        }

        // 4. Subspaces; flagged groups split by a generic conserved quantity.
        var subspaces = new List<SubspaceData>();
        for (int g = 0; g < groups.Count; g++)
        {
            cancellation.ThrowIfCancellationRequested();
            var idx = groups[g].ToArray();
            int lowest = basis.LevelOf(idx[0]);
            if (!groupFlagged[g])
            {
                subspaces.Add(new SubspaceData(idx, null, idx.Length, groupKernel[g], true, lowest));
                continue;
            }
            var ops = OperatorsOn(pieces, groupOf, g, recurrent, d);
            var split = CentralDecomposition.Split(basis, idx, ops, backend);
            if (split is null) subspaces.Add(new SubspaceData(idx, null, idx.Length, groupKernel[g], false, lowest));
            else subspaces.AddRange(split);
        }
        subspaces.Sort((a, b) => a.LowestLevel != b.LowestLevel ? a.LowestLevel.CompareTo(b.LowestLevel)
            : FirstIndex(a, basis).CompareTo(FirstIndex(b, basis)) is var c && c != 0 ? c : b.Dimension.CompareTo(a.Dimension));
        var transient = Enumerable.Range(0, d).Where(m => !recurrent[m]).ToArray();

        // 5. Conserved quantities kept for display: every block's (all of them when few), and the central ones.
        var candidates = new List<(EigenOperator, string)>();
        bool complete = total <= FullBasisLimit;
        for (int p = 0; p < pieces.Count && (complete || candidates.Count < CandidateLimit); p++)
        {
            var ker = pieces.Kernel(p);
            for (int j = 0; j < ker.Dimension && (complete || candidates.Count < CandidateLimit); j++)
                candidates.Add((Restrict(pieces, p, ker.Left(j), d), complete ? "conserved quantity" : "conserved quantity of one invariant block"));
        }
        var central = new List<(EigenOperator, string)>();
        if (subspaces.Count > 1)
            for (int k = 0; k < subspaces.Count && central.Count < CandidateLimit / 2; k++)
                central.Add((CentralQuantity(pieces, subspaces[k], basis, transient.Length == 0), $"projector onto invariant subspace {k + 1}"
                    + (transient.Length == 0 ? "" : " (with the transient states' absorption probabilities)")));
        return new StationaryStructure
        {
            KernelDimension = total,
            Faithful = transient.Length == 0,
            Subspaces = subspaces,
            Transient = transient,
            Candidates = candidates,
            Central = central,
            CompleteBasis = complete,
        };
    }

    private static int FirstIndex(SubspaceData s, EigenBasis basis) =>
        s.Indices is { } idx ? idx[0] : basis.Levels[s.Blocks![0].Level].Start;

    // The operator of piece p with local coordinates x.
    private static EigenOperator Restrict(IKernelPieces pieces, int p, Complex[] x, int d)
    {
        var op = new EigenOperator(d);
        for (int e = 0; e < x.Length; e++)
        {
            var (m, n) = pieces.Element(p, e);
            op.Add(m, n, x[e]);
        }
        return op;
    }

    // The conserved quantities of the pieces that touch group g, restricted to the group's recurrent eigenvectors.
    private static List<EigenOperator> OperatorsOn(IKernelPieces pieces, int[] groupOf, int g, bool[] recurrent, int d)
    {
        var ops = new List<EigenOperator>();
        for (int p = 0; p < pieces.Count; p++)
        {
            var ker = pieces.Kernel(p);
            bool touches = false;
            for (int e = 0; e < ker.Size && !touches; e++)
            {
                var (m, n) = pieces.Element(p, e);
                touches = recurrent[m] && recurrent[n] && groupOf[m] == g;
            }
            if (!touches) continue;
            for (int j = 0; j < ker.Dimension; j++)
            {
                var l = ker.Left(j);
                var op = new EigenOperator(d);
                for (int e = 0; e < ker.Size; e++)
                {
                    var (m, n) = pieces.Element(p, e);
                    if (recurrent[m] && recurrent[n] && groupOf[m] == g && groupOf[n] == g) op.Add(m, n, l[e]);
                }
                if (op.Entries.Count > 0) ops.Add(op);
            }
        }
        return ops;
    }

    /// <summary>
    /// The conserved quantity that equals the subspace's projector P on the recurrent part: P itself when the
    /// stationary state is faithful, else P_∞†(P) = Σ_j l_j ⟨r_j, P⟩ (the absorption probabilities into the subspace).
    /// </summary>
    private static EigenOperator CentralQuantity(IKernelPieces pieces, SubspaceData s, EigenBasis basis, bool faithful)
    {
        int d = basis.Dimension;
        var proj = Projector(s, basis);
        if (faithful) return proj;
        var x = new EigenOperator(d);
        for (int p = 0; p < pieces.Count; p++)
        {
            var ker = pieces.Kernel(p);
            for (int j = 0; j < ker.Dimension; j++)
            {
                var r = ker.Right(j);
                Complex c = 0;
                for (int e = 0; e < ker.Size; e++)
                {
                    if (r[e] == Complex.Zero) continue;
                    var (m, n) = pieces.Element(p, e);
                    c += Complex.Conjugate(r[e]) * proj[m, n];
                }
                if (c.Magnitude < 1e-15) continue;
                var l = ker.Left(j);
                for (int e = 0; e < ker.Size; e++)
                {
                    var (m, n) = pieces.Element(p, e);
                    x.Add(m, n, c * l[e]);
                }
            }
        }
        return x;
    }

    /// <summary>The projector of a subspace in the eigenbasis.</summary>
    internal static EigenOperator Projector(SubspaceData s, EigenBasis basis)
    {
        var op = new EigenOperator(basis.Dimension);
        if (s.Indices is { } idx)
        {
            foreach (int m in idx) op.Add(m, m, 1);
            return op;
        }
        foreach (var (level, v) in s.Blocks!)
        {
            int start = basis.Levels[level].Start;
            var pr = v * v.ConjugateTranspose();
            for (int j = 0; j < pr.ColumnCount; j++)
                for (int i = 0; i < pr.RowCount; i++)
                    if (pr[i, j].Magnitude > 1e-14) op.Add(start + i, start + j, pr[i, j]);
        }
        return op;
    }
}

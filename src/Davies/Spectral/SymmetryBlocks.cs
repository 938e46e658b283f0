using Davies.LinearAlgebra;
using Davies.Symmetries;

namespace Davies.Spectral;

/// <summary>
/// An eigenbasis of H_S found block by block of a <see cref="SymmetryAdaptedBasis"/>: H_λ = B_λᵀ H B_λ is diagonalised
/// for each block λ (eigenvalues ascending, eigenvectors U_λ), and eigenvector j of block λ is
/// v = B_λ U_λ[:, j] in the site basis, with eigen index <see cref="GlobalIndex"/>[λ][j] in the merged ascending order.
/// The site-basis d×d matrix of all eigenvectors is formed only on request.
/// </summary>
internal sealed class SymmetryBlocks
{
    private SymmetryBlocks(SymmetryAdaptedBasis adapted, bool real, Matrix<double>?[] realVectors, Matrix<Complex>?[] vectors,
        int[][] globalIndex)
    {
        Adapted = adapted;
        IsReal = real;
        RealVectors = realVectors;
        ComplexVectors = vectors;
        GlobalIndex = globalIndex;
        int d = adapted.Dimension;
        BlockOf = new int[d];
        LocalOf = new int[d];
        for (int b = 0; b < globalIndex.Length; b++)
            for (int j = 0; j < globalIndex[b].Length; j++)
            {
                BlockOf[globalIndex[b][j]] = b;
                LocalOf[globalIndex[b][j]] = j;
            }
    }

    public SymmetryAdaptedBasis Adapted { get; }

    public int Count => Adapted.Blocks.Count;

    public int Size(int block) => Adapted.Blocks[block].Size;

    /// <summary>Whether the blocks' eigenvectors are real (H_S real).</summary>
    public bool IsReal { get; }

    /// <summary>U_λ per block (real H_S), else null entries.</summary>
    public Matrix<double>?[] RealVectors { get; }

    /// <summary>U_λ per block (complex H_S), else null entries.</summary>
    public Matrix<Complex>?[] ComplexVectors { get; }

    /// <summary>[λ][j] → eigen index.</summary>
    public int[][] GlobalIndex { get; }

    /// <summary>Eigen index → block.</summary>
    public int[] BlockOf { get; }

    /// <summary>Eigen index → index inside its block.</summary>
    public int[] LocalOf { get; }

    /// <summary>
    /// The adapted basis of <paramref name="symmetries"/> and H_S by rows, with every block H_λ = B_λᵀ H B_λ formed when
    /// <paramref name="formBlocks"/> (no backend needed: the command line forms them while the native library loads);
    /// otherwise each block is formed just before it is diagonalised (one block's memory at a time).
    /// </summary>
    public static Problem Prepare(Matrix<Complex> h, IReadOnlyList<SiteSymmetry> symmetries, bool formBlocks)
    {
        var adapted = SymmetryAdaptedBasis.Build(symmetries, h.RowCount);
        int nb = adapted.Blocks.Count;
        var problem = new Problem(h, symmetries, adapted, EigenBasis.IsReal(h), SparseRows.Of(h), new Matrix<double>?[nb], new Matrix<Complex>?[nb]);
        if (formBlocks)
            for (int b = 0; b < nb; b++)
                if (problem.Real) problem.RealBlocks[b] = RealBlock(problem.Rows, adapted, b);
                else problem.ComplexBlocks[b] = ComplexBlock(problem.Rows, adapted, b);
        return problem;
    }

    /// <summary>The symmetry blocks of one H_S before they are diagonalised (<see cref="Prepare"/>).</summary>
    internal sealed record Problem(Matrix<Complex> Hamiltonian, IReadOnlyList<SiteSymmetry> Symmetries, SymmetryAdaptedBasis Adapted,
        bool Real, SparseRows Rows, Matrix<double>?[] RealBlocks, Matrix<Complex>?[] ComplexBlocks)
    {
        /// <summary>H_λ of a real H_S, formed now unless it was, and forgotten (the eigensolver may overwrite it).</summary>
        public Matrix<double> TakeRealBlock(int b)
        {
            var m = RealBlocks[b] ?? RealBlock(Rows, Adapted, b);
            RealBlocks[b] = null;
            return m;
        }

        /// <summary>H_λ of a complex H_S, likewise.</summary>
        public Matrix<Complex> TakeComplexBlock(int b)
        {
            var m = ComplexBlocks[b] ?? ComplexBlock(Rows, Adapted, b);
            ComplexBlocks[b] = null;
            return m;
        }
    }

    /// <summary>
    /// Diagonalises the prepared blocks of H_S; returns the blocks and the merged eigenvalues (ascending; ties by block,
    /// then by index inside the block).
    /// </summary>
    public static (SymmetryBlocks Blocks, double[] Energies) Compute(Problem problem, ILinearAlgebraBackend be, IProgress<string>? progress)
    {
        var (adapted, real) = (problem.Adapted, problem.Real);
        int d = adapted.Dimension, nb = adapted.Blocks.Count;
        var values = new double[nb][];
        var realVectors = new Matrix<double>?[nb];
        var vectors = new Matrix<Complex>?[nb];
        string names = string.Join(", ", problem.Symmetries.Select(s => s.Kind.ToWireName()));
        for (int b = 0; b < nb; b++)
        {
            progress?.Report($"diagonalising H by symmetry blocks ({names}): block {b + 1}/{nb}, {adapted.Blocks[b].Size} states");
            if (real)
            {
                var m = problem.TakeRealBlock(b);
                var eig = m.RowCount == 1 ? new SymmetricEigen([m[0, 0]], Matrix<double>.Build.DenseIdentity(1))
                    : be is NativeBackend native ? native.EigenSymmetricOverwriting(m) : be.EigenSymmetric(m);
                values[b] = eig.Values;
                realVectors[b] = eig.Vectors;
            }
            else
            {
                var m = problem.TakeComplexBlock(b);
                var eig = m.RowCount == 1 ? new HermitianEigen([m[0, 0].Real], Matrix<Complex>.Build.DenseIdentity(1)) : be.EigenHermitian(m);
                values[b] = eig.Values;
                vectors[b] = eig.Vectors;
            }
        }
        var order = new (double E, int Block, int Local)[d];
        int at = 0;
        for (int b = 0; b < nb; b++)
            for (int j = 0; j < values[b].Length; j++) order[at++] = (values[b][j], b, j);
        Array.Sort(order, (x, y) => x.E != y.E ? x.E.CompareTo(y.E) : x.Block != y.Block ? x.Block.CompareTo(y.Block) : x.Local.CompareTo(y.Local));
        var energies = new double[d];
        var global = Enumerable.Range(0, nb).Select(b => new int[values[b].Length]).ToArray();
        for (int k = 0; k < d; k++)
        {
            energies[k] = order[k].E;
            global[order[k].Block][order[k].Local] = k;
        }
        return (new SymmetryBlocks(adapted, real, realVectors, vectors, global), energies);
    }

    // H_λ = B_λᵀ H B_λ, column by column: y = H b_c (H Hermitian: column s of H is the conjugate of row s), then the
    // coefficients of y on the block's basis vectors (row view of B). Exactly symmetric afterwards.
    private static Matrix<double> RealBlock(SparseRows rows, SymmetryAdaptedBasis adapted, int b)
    {
        var data = ProjectedBlock<double>(rows, adapted, b);
        int m = adapted.Blocks[b].Size;
        DenseKernels.Hermitize(data, m);
        return Matrix<double>.Build.Dense(m, m, data);
    }

    private static Matrix<Complex> ComplexBlock(SparseRows rows, SymmetryAdaptedBasis adapted, int b)
    {
        var data = ProjectedBlock<Complex>(rows, adapted, b);
        int m = adapted.Blocks[b].Size;
        DenseKernels.Hermitize(data, m);
        return Matrix<Complex>.Build.Dense(m, m, data);
    }

    /// <summary>
    /// B_λᵀ H B_λ column-major, before symmetrisation; T = double for a real symmetric H (its entries' real parts),
    /// Complex otherwise (the conjugate of H's row entries).
    /// </summary>
    private static T[] ProjectedBlock<T>(SparseRows rows, SymmetryAdaptedBasis adapted, int b) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var block = adapted.Blocks[b];
        int m = block.Size, d = adapted.Dimension;
        var data = LargeArrays.Zeroed<T>((long)m * m);
        Parallel.For(0, m, DenseKernels.ParallelOver(m), () => (Y: new T[d], Touched: new List<int>(), Seen: new bool[d]), (c, _, s) =>
        {
            var (y, touched, seen) = s;
            AddColumnImage(rows, block, c, y, seen, touched);
            long col = (long)c * m;
            foreach (int r in touched)
            {
                for (int e = adapted.RowStart[r]; e < adapted.RowStart[r + 1]; e++)
                    if (adapted.RowBlock[e] == b) data[adapted.RowColumn[e] + col] += DenseKernels.Scaled(y[r], adapted.RowCoefficient[e]);
                y[r] = T.Zero;
                seen[r] = false;
            }
            touched.Clear();
            return s;
        }, _ => { });
        return data;
    }

    /// <summary>
    /// y += H b_c for the basis vector b_c of <paramref name="block"/> and a Hermitian H stored by rows (column s of H is
    /// the conjugate of row s); every row index it reaches is marked in <paramref name="seen"/> and listed once in
    /// <paramref name="touched"/>, for the caller to read and reset.
    /// </summary>
    internal static void AddColumnImage<T>(SparseRows rows, SymmetryAdaptedBasis.Block block, int c, T[] y, bool[] seen, List<int> touched)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (int k = block.ColumnStart[c]; k < block.ColumnStart[c + 1]; k++)
        {
            int site = block.Sites[k];
            double coef = block.Coefficients[k];
            for (int e = rows.RowStart[site]; e < rows.RowStart[site + 1]; e++)
            {
                int r = rows.Columns[e];
                if (!seen[r])
                {
                    seen[r] = true;
                    touched.Add(r);
                }
                y[r] += DenseKernels.Scaled(ColumnEntry<T>(rows.Values[e]), coef); // H[r, site] = conj(H[site, r])
            }
        }
    }

    /// <summary>The d×d real eigenvector matrix in the site basis: column GlobalIndex[λ][j] = B_λ U_λ[:, j].</summary>
    public Matrix<double> RealSiteVectors() =>
        Matrix<double>.Build.Dense(Adapted.Dimension, Adapted.Dimension, SiteVectors(RealVectors));

    /// <summary>The d×d complex eigenvector matrix in the site basis (complex H_S).</summary>
    public Matrix<Complex> ComplexSiteVectors() =>
        Matrix<Complex>.Build.Dense(Adapted.Dimension, Adapted.Dimension, SiteVectors(ComplexVectors));

    private T[] SiteVectors<T>(IReadOnlyList<Matrix<T>?> vectors) where T : unmanaged, System.Numerics.INumberBase<T>, IEquatable<T>, IFormattable
    {
        int d = Adapted.Dimension;
        var v = LargeArrays.Zeroed<T>((long)d * d);
        for (int b = 0; b < Count; b++)
        {
            var block = Adapted.Blocks[b];
            var u = DenseKernels.Data(vectors[b]!);
            int m = block.Size;
            var global = GlobalIndex[b];
            Parallel.For(0, m, DenseKernels.ParallelOver(m), j =>
            {
                long col = (long)global[j] * d, ucol = (long)j * m;
                for (int c = 0; c < m; c++)
                {
                    var x = u[c + ucol];
                    if (T.IsZero(x)) continue;
                    for (int k = block.ColumnStart[c]; k < block.ColumnStart[c + 1]; k++) v[block.Sites[k] + col] += DenseKernels.Scaled(x, block.Coefficients[k]);
                }
            });
        }
        return v;
    }

    // H[r, site] from the stored row entry H[site, r]: its real part for a real symmetric H, its conjugate otherwise
    // (the typeof tests are resolved when the method is compiled for T).
    private static T ColumnEntry<T>(Complex stored) where T : struct =>
        typeof(T) == typeof(double) ? (T)(object)stored.Real : (T)(object)Complex.Conjugate(stored);
}

using Davies.LinearAlgebra;
using Davies.Symmetries;

namespace Davies.Spectral;

public sealed partial class EigenBasis
{
    /// <summary>The symmetry blocks the basis was computed in, or null (H_S diagonalised as one matrix).</summary>
    internal SymmetryBlocks? Blocks { get; }

    /// <summary>
    /// The symmetries H_S was diagonalised with, block by block (empty when it was diagonalised as one matrix). The
    /// energies, levels and every result are the same either way; only the cost differs (docs/symmetries.md).
    /// </summary>
    public IReadOnlyList<SymmetryKind> Symmetries =>
        Blocks is null ? [] : Blocks.Adapted.Symmetries.Select(s => s.Kind).ToArray();

    /// <summary>The dimensions of the symmetry blocks (empty without symmetries).</summary>
    public IReadOnlyList<int> SymmetryBlockSizes =>
        Blocks is null ? [] : Enumerable.Range(0, Blocks.Count).Select(Blocks.Size).ToArray();
}

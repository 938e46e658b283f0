using System.Runtime.CompilerServices;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Symmetries;

namespace Davies.Spectral;

public sealed partial class EnergyBasisModel
{
    /// <summary>Symmetry blocks are formed ahead of the build up to this dimension (beyond it they wait for the build: memory).</summary>
    internal const int PrepareBlocksMaximum = 4096;

    // What Prepare formed, per model instance, until the build of that model takes it.
    private static readonly ConditionalWeakTable<OpenSystemModel, Prepared> PreparedByModel = new();

    private sealed record Prepared(IReadOnlyList<SiteSymmetry> Symmetries, SymmetryBlocks.Problem? Blocks);

    /// <summary>
    /// Does now the part of <see cref="Build(OpenSystemModel, ILinearAlgebraBackend?, IProgress{string}?, CancellationToken)"/>
    /// that needs no linear-algebra backend: the symmetries of H_S (detected or verified) and, up to d = 4096, the
    /// symmetry blocks of H_S, for the next build of this same model instance to use (the command line does it while the
    /// native library loads). The build's results are the same with or without it; an exception is the build's own.
    /// </summary>
    /// <param name="model">The model.</param>
    public static void Prepare(OpenSystemModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var symmetries = SymmetryResolution.For(model);
        var blocks = symmetries.Count > 0 && model.Dimension <= PrepareBlocksMaximum && !EigenBasis.IsDiagonal(model.Hamiltonian)
            ? SymmetryBlocks.Prepare(model.Hamiltonian, symmetries, formBlocks: true)
            : null;
        lock (PreparedByModel) PreparedByModel.AddOrUpdate(model, new Prepared(symmetries, blocks));
    }

    /// <summary>Whether <see cref="Prepare"/> formed symmetry blocks for this model that no build has taken yet.</summary>
    internal static bool HasPreparedBlocks(OpenSystemModel model) => PreparedByModel.TryGetValue(model, out var p) && p.Blocks is not null;

    // The symmetries and blocks Prepare formed for this model (taken: a second build recomputes them), else null.
    // Under a lock: two builds of one model at once must not both take (and overwrite) the same blocks.
    private static Prepared? TakePrepared(OpenSystemModel model)
    {
        lock (PreparedByModel)
        {
            if (!PreparedByModel.TryGetValue(model, out var prepared)) return null;
            PreparedByModel.Remove(model);
            return prepared;
        }
    }
}

namespace Davies.Solvers;

/// <summary>
/// How a <see cref="Propagator"/> propagates (<see cref="Propagator.Method"/>, <see cref="EvolutionResult.Method"/>).
/// The CLI prints <see cref="SolverMethodNames.ToWireName(PropagationMethod)"/>.
/// </summary>
public enum PropagationMethod
{
    /// <summary>
    /// "sectors": the Davies generator Bohr sector by Bohr sector (each split further into the connected components
    /// of its sparsity graph), every block from the eigen-decomposition of its dense matrix (Padé when ill-conditioned).
    /// </summary>
    Sectors,

    /// <summary>
    /// "blocks": large degenerate levels; the invariant components of the Bohr sectors, each decomposed only when the
    /// initial state reaches it; identical blocks share one decomposition.
    /// </summary>
    Blocks,

    /// <summary>"redfield-dense": Bloch–Redfield (<c>secular: none</c>); the dense d²×d² generator as one block.</summary>
    RedfieldDense,

    /// <summary>"local-dense": the local master equation (<c>approach: local</c>); the dense d²×d² GKLS generator.</summary>
    LocalDense,
}

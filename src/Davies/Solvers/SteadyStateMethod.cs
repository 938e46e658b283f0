namespace Davies.Solvers;

/// <summary>
/// Which algorithm produced a steady state (<see cref="SteadyStateResult.Method"/>). The CLI prints
/// <see cref="SolverMethodNames.ToWireName(SteadyStateMethod)"/>.
/// </summary>
public enum SteadyStateMethod
{
    /// <summary>
    /// "pauli": non-degenerate H_S; the classical Pauli rate matrix on the populations, whose kernel dimension is the
    /// exact number of its closed communicating classes.
    /// </summary>
    Pauli,

    /// <summary>"sector0": degenerate H_S; the ν = 0 Bohr sector (populations and coherences inside levels) as one dense matrix.</summary>
    PopulationSector,

    /// <summary>
    /// "sector0-blocks": large degenerate levels; the ν = 0 sector block by block of its invariant components, never as
    /// one dense matrix.
    /// </summary>
    PopulationSectorBlocks,

    /// <summary>"redfield-dense": Bloch–Redfield (<c>secular: none</c>); the dense d²×d² generator.</summary>
    RedfieldDense,

    /// <summary>"local-dense": the local master equation (<c>approach: local</c>); the dense d²×d² GKLS generator.</summary>
    LocalDense,
}

namespace Davies.Solvers;

/// <summary>
/// The one mapping from the solver method enums to the names the CLI prints (the JSON key <c>method</c> and the
/// readable summaries): stable strings, part of the CLI's output contract.
/// </summary>
public static class SolverMethodNames
{
    /// <summary>"pauli", "sector0", "sector0-blocks", "redfield-dense" or "local-dense".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined member.</exception>
    public static string ToWireName(this SteadyStateMethod method) => method switch
    {
        SteadyStateMethod.Pauli => "pauli",
        SteadyStateMethod.PopulationSector => "sector0",
        SteadyStateMethod.PopulationSectorBlocks => "sector0-blocks",
        SteadyStateMethod.RedfieldDense => "redfield-dense",
        SteadyStateMethod.LocalDense => "local-dense",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>"kms-symmetric", "general", "blocks", "redfield-dense", "local-dense" or "kms-lanczos".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined member.</exception>
    public static string ToWireName(this SpectrumMethod method) => method switch
    {
        SpectrumMethod.KmsSymmetric => "kms-symmetric",
        SpectrumMethod.KmsLanczos => "kms-lanczos",
        SpectrumMethod.General => "general",
        SpectrumMethod.Blocks => "blocks",
        SpectrumMethod.RedfieldDense => "redfield-dense",
        SpectrumMethod.LocalDense => "local-dense",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>"sectors", "blocks", "redfield-dense" or "local-dense".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined member.</exception>
    public static string ToWireName(this PropagationMethod method) => method switch
    {
        PropagationMethod.Sectors => "sectors",
        PropagationMethod.Blocks => "blocks",
        PropagationMethod.RedfieldDense => "redfield-dense",
        PropagationMethod.LocalDense => "local-dense",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}

namespace Davies.Solvers;

/// <summary>
/// How the eigenvalues of a spectrum were found (<see cref="SpectrumResult.Method"/>). The CLI prints
/// <see cref="SolverMethodNames.ToWireName(SpectrumMethod)"/>.
/// </summary>
public enum SpectrumMethod
{
    /// <summary>
    /// "kms-symmetric": detailed balance; the ν = 0 sector from the symmetric eigensolver on the KMS-symmetrised Pauli
    /// matrix, the other Bohr sectors from their own matrices.
    /// </summary>
    KmsSymmetric,

    /// <summary>"general": every Bohr sector's matrix by the general (non-symmetric) eigensolver.</summary>
    General,

    /// <summary>
    /// "blocks": large degenerate levels; block by block of the invariant components of the Bohr sectors (dense,
    /// or Lanczos for the slowest modes of large blocks of detailed-balance form).
    /// </summary>
    Blocks,

    /// <summary>"redfield-dense": Bloch–Redfield (<c>secular: none</c>); the dense d²×d² generator.</summary>
    RedfieldDense,

    /// <summary>"local-dense": the local master equation (<c>approach: local</c>); the dense d²×d² GKLS generator.</summary>
    LocalDense,

    /// <summary>
    /// "kms-lanczos": detailed balance, a large population block and not every eigenvalue asked for; only the slow end of
    /// the KMS-symmetrised Pauli matrix (its kernel and the slowest decays, to a verified residual) by block Lanczos, the
    /// other Bohr sectors as with <see cref="KmsSymmetric"/>.
    /// </summary>
    KmsLanczos,
}

namespace Davies.Solvers;

/// <summary>An eigenvalue λ of the generator and the Bohr frequency of the sector its eigenvector lives in.</summary>
/// <param name="Eigenvalue">λ (Re λ ≤ 0 is the decay rate, Im λ the oscillation frequency).</param>
/// <param name="BohrFrequency">
/// ν of the sector (Davies); for Bloch–Redfield the Bohr frequency of the sector that holds most of the eigenvector's
/// weight (Σ|v|² over the eigenbasis coherences ρ_mn grouped by the Bohr frequency of (m, n); ties go to the smallest
/// |ν|, then to ν &gt; 0).
/// </param>
public readonly record struct SpectralMode(Complex Eigenvalue, double BohrFrequency);

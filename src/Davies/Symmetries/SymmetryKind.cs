namespace Davies.Symmetries;

/// <summary>
/// A symmetry of H_S that Davies can use to diagonalise it block by block (model-file field <c>symmetries</c>, wire
/// names in <see cref="SymmetryNames"/>). Each is a unitary on the site basis; a symmetry is used only after H_S has
/// been verified to commute with it (docs/symmetries.md).
/// </summary>
public enum SymmetryKind
{
    /// <summary><c>flip</c>: the global spin flip Π_i X_i (every site a qubit); blocks of even and odd flip parity.</summary>
    Flip,

    /// <summary>
    /// <c>parity</c>: the number parity Π_i (−1)^{n_i} (Π_i Z_i up to a sign for qubits, n_i the site's digit); blocks
    /// of even and odd total digit sum.
    /// </summary>
    Parity,

    /// <summary>
    /// <c>u1</c>: the conserved number of excitations Σ_i n_i (the magnetisation Σ_i Z_i = n − 2 Σ_i n_i of a qubit
    /// chain, the boson number of oscillator sites); one block per value.
    /// </summary>
    U1,

    /// <summary><c>reflection</c>: the site reflection i ↔ n − 1 − i; blocks of even and odd reflection parity.</summary>
    Reflection,

    /// <summary>
    /// <c>translation</c>: the cyclic shift of the sites i → i + 1 mod n (periodic chains, equal site dimensions, n ≥ 3);
    /// one real block per pair of momenta ±k.
    /// </summary>
    Translation,
}

/// <summary>Wire names of <see cref="SymmetryKind"/> (model files, JSON output).</summary>
public static class SymmetryNames
{
    /// <summary>"flip", "parity", "u1", "reflection" or "translation".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined member.</exception>
    public static string ToWireName(this SymmetryKind kind) => kind switch
    {
        SymmetryKind.Flip => "flip",
        SymmetryKind.Parity => "parity",
        SymmetryKind.U1 => "u1",
        SymmetryKind.Reflection => "reflection",
        SymmetryKind.Translation => "translation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The symmetry of a wire name (case-insensitive), or false.</summary>
    public static bool TryParse(string name, out SymmetryKind kind)
    {
        foreach (var k in Enum.GetValues<SymmetryKind>())
            if (string.Equals(k.ToWireName(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        kind = default;
        return false;
    }
}

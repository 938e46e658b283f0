using Davies.Spaces;

namespace Davies.Operators;

/// <summary>
/// Product basis states from labels with one digit per site, site 0 first: on three qubits "101" is |1⟩⊗|0⟩⊗|1⟩
/// (Z eigenvalues −1, +1, −1). Digits must be below the site's dimension; sites of dimension &gt; 10 can only be
/// labelled in their first ten levels.
/// </summary>
public static class ProductStates
{
    /// <summary>The basis vector |label⟩.</summary>
    /// <exception cref="ModelException">The label has the wrong length, a non-digit, or a digit ≥ the site's dimension.</exception>
    public static Vector<Complex> Ket(HilbertSpace space, string label)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(label);
        var v = Vector<Complex>.Build.Dense(space.Dimension);
        v[Index(space, label)] = 1;
        return v;
    }

    /// <summary>The density matrix |label⟩⟨label|.</summary>
    /// <exception cref="ModelException">The label has the wrong length, a non-digit, or a digit ≥ the site's dimension.</exception>
    public static Matrix<Complex> DensityMatrix(HilbertSpace space, string label)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(label);
        var rho = Matrix<Complex>.Build.Dense(space.Dimension, space.Dimension);
        int i = Index(space, label);
        rho[i, i] = 1;
        return rho;
    }

    /// <summary>The basis index of the product state |label⟩.</summary>
    /// <exception cref="ModelException">The label has the wrong length, a non-digit, or a digit ≥ the site's dimension.</exception>
    public static int Index(HilbertSpace space, string label)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length != space.SiteCount)
            throw new ModelException($"product-state label '{label}' has {label.Length} digit{(label.Length == 1 ? "" : "s")}, but the model has {space.SiteCount} site{(space.SiteCount == 1 ? "" : "s")} (one digit per site, site 0 first)");
        var local = new int[label.Length];
        for (int k = 0; k < label.Length; k++)
        {
            char c = label[k];
            if (!char.IsAsciiDigit(c))
                throw new ModelException($"product-state label '{label}': character '{c}' for site {k} is not a digit");
            local[k] = c - '0';
            if (local[k] >= space.Dimensions[k])
                throw new ModelException($"product-state label '{label}': level {local[k]} for site {k} is out of range; site {k} has dimension {space.Dimensions[k]}");
        }
        return space.IndexOf(local);
    }
}

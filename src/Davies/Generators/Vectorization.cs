namespace Davies.Generators;

/// <summary>
/// The one vectorisation convention of Davies: <b>column stacking</b>, vec(ρ)[i + j·d] = ρ[i, j], so that
/// vec(A ρ B) = (Bᵀ ⊗ A) vec(ρ). Every superoperator matrix in the library (dense Liouvillians, sector blocks)
/// acts on vectors ordered this way.
/// </summary>
public static class Vectorization
{
    /// <summary>vec(ρ), column stacking.</summary>
    public static Vector<Complex> Vec(Matrix<Complex> rho)
    {
        int d = rho.RowCount;
        var v = Vector<Complex>.Build.Dense(d * rho.ColumnCount);
        for (int j = 0; j < rho.ColumnCount; j++)
            for (int i = 0; i < d; i++) v[i + j * d] = rho[i, j];
        return v;
    }

    /// <summary>The inverse of <see cref="Vec"/> for a d×d matrix.</summary>
    public static Matrix<Complex> Unvec(Vector<Complex> v, int d)
    {
        var m = Matrix<Complex>.Build.Dense(d, d);
        for (int j = 0; j < d; j++)
            for (int i = 0; i < d; i++) m[i, j] = v[i + j * d];
        return m;
    }

    /// <summary>The superoperator ρ ↦ A ρ B, i.e. Bᵀ ⊗ A.</summary>
    public static Matrix<Complex> Sandwich(Matrix<Complex> a, Matrix<Complex> b) => b.Transpose().KroneckerProduct(a);

    /// <summary>The superoperator ρ ↦ A ρ.</summary>
    public static Matrix<Complex> Left(Matrix<Complex> a) =>
        Matrix<Complex>.Build.DenseIdentity(a.RowCount).KroneckerProduct(a);

    /// <summary>The superoperator ρ ↦ ρ B.</summary>
    public static Matrix<Complex> Right(Matrix<Complex> b) =>
        b.Transpose().KroneckerProduct(Matrix<Complex>.Build.DenseIdentity(b.RowCount));
}

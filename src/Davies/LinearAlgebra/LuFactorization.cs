namespace Davies.LinearAlgebra;

/// <summary>
/// An LU factorisation with partial pivoting of a square complex matrix, factored once and solved many times (the
/// shift-invert operator of <see cref="Solvers.KrylovSchur"/>): LAPACK zgetrf/zgetrs with the native backend, Math.NET's
/// LU otherwise.
/// </summary>
internal sealed class LuFactorization
{
    private readonly int _n;
    private readonly Complex[]? _factors;
    private readonly int[]? _pivots;
    private readonly MathNet.Numerics.LinearAlgebra.Factorization.LU<Complex>? _managed;

    private LuFactorization(int n, Complex[]? factors, int[]? pivots, MathNet.Numerics.LinearAlgebra.Factorization.LU<Complex>? managed)
    {
        _n = n;
        _factors = factors;
        _pivots = pivots;
        _managed = managed;
    }

    /// <summary>
    /// Factors <paramref name="a"/> (unchanged); an exactly singular matrix throws <see cref="LinearAlgebraException"/> with the
    /// native backend (the managed one returns non-finite solutions instead).
    /// </summary>
    public static LuFactorization Of(Matrix<Complex> a, ILinearAlgebraBackend backend)
    {
        int n = a.RowCount;
        if (backend is NativeBackend)
        {
            var data = LargeArrays.Copy(DenseKernels.Data(a));
            return new LuFactorization(n, data, NativeBackend.LuFactor(data, n), null);
        }
        return new LuFactorization(n, null, null, a.LU());
    }

    /// <summary>
    /// A⁻¹: LAPACK (zgetrf + zgetrs on the identity, <see cref="NativeBackend.Inverse"/>) with the native backend from
    /// <see cref="NativeInverseMinimum"/> rows on, Math.NET's LU below it and with the managed backend. An exactly
    /// singular matrix throws (<see cref="LinearAlgebraException"/> natively, Math.NET's exception otherwise).
    /// </summary>
    public static Matrix<Complex> Inverse(Matrix<Complex> a, ILinearAlgebraBackend backend) =>
        backend is NativeBackend && a.RowCount >= NativeInverseMinimum ? NativeBackend.Inverse(a) : a.Inverse();

    /// <summary>Matrices from this size on are inverted by LAPACK with the native backend (call overhead below it).</summary>
    internal const int NativeInverseMinimum = 64;

    /// <summary>Overwrites <paramref name="b"/> with A⁻¹b.</summary>
    public void Solve(Complex[] b)
    {
        if (_factors is not null)
        {
            NativeBackend.LuSolve(_factors, _pivots!, _n, b);
            return;
        }
        var x = _managed!.Solve(Vector<Complex>.Build.Dense(b));
        x.CopyTo(Vector<Complex>.Build.Dense(b));
    }
}

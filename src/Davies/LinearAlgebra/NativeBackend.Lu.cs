namespace Davies.LinearAlgebra;

internal sealed unsafe partial class NativeBackend
{
    /// <summary>LU factorisation in place (zgetrf): the factors in <paramref name="data"/>, the pivots returned.</summary>
    internal static int[] LuFactor(Complex[] data, int n)
    {
        var ipiv = new int[Math.Max(1, n)];
        int info;
        using (Enter((long)n * n))
        fixed (Complex* pa = data)
        fixed (int* pi = ipiv)
            info = NativeLapack.Zgetrf(n, n, pa, Math.Max(1, n), pi);
        Check(info, "zgetrf", $"the {n}×{n} complex matrix is singular");
        return ipiv;
    }

    /// <summary>Solves A x = b in place with the factors of <see cref="LuFactor"/> (zgetrs).</summary>
    internal static void LuSolve(Complex[] factors, int[] ipiv, int n, Complex[] b)
    {
        int info;
        using (Enter(n))
        fixed (Complex* pa = factors, pb = b)
        fixed (int* pi = ipiv)
            info = NativeLapack.Zgetrs((byte)'N', n, 1, pa, Math.Max(1, n), pi, pb, Math.Max(1, n));
        Check(info, "zgetrs", "invalid arguments");
    }

    /// <summary>A⁻¹ of a square complex matrix (zgetrf, then zgetrs on the identity); throws when A is exactly singular.</summary>
    internal static Matrix<Complex> Inverse(Matrix<Complex> a)
    {
        int n = a.RowCount;
        var factors = LargeArrays.Copy(DenseKernels.Data(a));
        var ipiv = LuFactor(factors, n);
        var x = LargeArrays.Zeroed<Complex>((long)n * n);
        for (int i = 0; i < n; i++) x[i + (long)i * n] = Complex.One;
        int info;
        using (Enter((long)n * n))
        fixed (Complex* pa = factors, pb = x)
        fixed (int* pi = ipiv)
            info = NativeLapack.Zgetrs((byte)'N', n, n, pa, Math.Max(1, n), pi, pb, Math.Max(1, n));
        Check(info, "zgetrs", "invalid arguments");
        return Matrix<Complex>.Build.Dense(n, n, x);
    }

    /// <summary>Whether the real symmetric <paramref name="data"/> (lower triangle; overwritten) has a Cholesky factor (dpotrf).</summary>
    internal static bool CholeskySucceeds(double[] data, int n)
    {
        if (n == 0) return true;
        int info;
        using (Enter(data.LongLength))
        fixed (double* pa = data)
            info = NativeLapack.Dpotrf((byte)'L', n, pa, n);
        if (info < 0) Check(info, "dpotrf", "invalid argument");
        return info == 0;
    }
}

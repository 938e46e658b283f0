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
            info = NativeMethods.Zgetrf(NativeMethods.LapackColMajor, n, n, pa, Math.Max(1, n), pi);
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
            info = NativeMethods.Zgetrs(NativeMethods.LapackColMajor, (byte)'N', n, 1, pa, Math.Max(1, n), pi, pb, Math.Max(1, n));
        Check(info, "zgetrs", "invalid arguments");
    }

    /// <summary>Whether the real symmetric <paramref name="data"/> (lower triangle; overwritten) has a Cholesky factor (dpotrf).</summary>
    internal static bool CholeskySucceeds(double[] data, int n)
    {
        if (n == 0) return true;
        int info;
        using (Enter(data.LongLength))
        fixed (double* pa = data)
            info = NativeMethods.Dpotrf(NativeMethods.LapackColMajor, (byte)'L', n, pa, n);
        if (info < 0) Check(info, "dpotrf", "invalid argument");
        return info == 0;
    }
}

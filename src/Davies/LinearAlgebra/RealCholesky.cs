namespace Davies.LinearAlgebra;

/// <summary>
/// Positive definiteness of a real symmetric matrix by a Cholesky factorisation: LAPACK dpotrf with the native backend,
/// a plain managed factorisation otherwise (a quarter of the work of the complex test of
/// <see cref="ILinearAlgebraBackend.IsPositiveDefinite"/>, for the weighted Hermitian parts of real sector matrices).
/// </summary>
internal static class RealCholesky
{
    /// <summary>Whether <paramref name="a"/> (n×n column-major, lower triangle read; overwritten) is positive definite.</summary>
    public static bool Succeeds(double[] a, int n, ILinearAlgebraBackend backend)
    {
        if (backend is NativeBackend && n >= 64) return NativeBackend.CholeskySucceeds(a, n);
        for (int j = 0; j < n; j++)
        {
            long cj = (long)j * n;
            double diag = a[j + cj];
            for (int k = 0; k < j; k++) diag -= a[j + (long)k * n] * a[j + (long)k * n];
            if (!(diag > 0) || !double.IsFinite(diag)) return false;
            double l = Math.Sqrt(diag);
            a[j + cj] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i + cj];
                for (int k = 0; k < j; k++) s -= a[i + (long)k * n] * a[j + (long)k * n];
                a[i + cj] = s / l;
            }
        }
        return true;
    }
}

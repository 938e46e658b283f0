using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>
/// LAPACK called at its Fortran entry points (<see cref="NativeLapack"/>) keeps what LAPACKE's wrappers did: the NaN
/// check of the entries LAPACK reads (the argument's LAPACKE position in the message), the workspace query, and the
/// same answers as the managed backend on matrices whose workspaces differ in size.
/// </summary>
public class NativeLapackTests
{
    private static NativeBackend Native()
    {
        Skip.IfNot(NativeBackend.TryGet(out var native, out var failure), $"native backend unavailable ({failure})");
        return native!;
    }

    private static Matrix<double> Symmetric(int n, int seed)
    {
        var rng = new Random(seed);
        var a = Matrix<double>.Build.Dense(n, n, (_, _) => rng.NextDouble() - 0.5);
        return a + a.Transpose();
    }

    [SkippableFact]
    public void NaN_InTheLowerTriangle_IsRejected_AsArgument6OfDsyevr()
    {
        var native = Native();
        var a = Symmetric(5, 1);
        a[3, 1] = double.NaN;
        var e = Assert.Throws<LinearAlgebraException>(() => native.EigenSymmetric(a));
        Assert.Contains("dsyevr: argument 6", e.Message);
    }

    [SkippableFact]
    public void NaN_InTheUpperTriangle_IsNotRead()
    {
        var native = Native();
        var a = Symmetric(5, 2);
        var expected = native.EigenSymmetric(a).Values;
        a[1, 3] = double.NaN; // dsyevr reads the lower triangle only, as LAPACKE checked only that one
        Assert.Equal(expected, native.EigenSymmetric(a).Values);
    }

    [SkippableFact]
    public void NaN_InTheRightHandSide_IsRejected_AsArgument7OfZgesv()
    {
        var native = Native();
        var a = Matrix<Complex>.Build.DenseIdentity(4);
        var b = Vector<Complex>.Build.Dense(4, Complex.One);
        b[2] = new Complex(0, double.NaN);
        var e = Assert.Throws<LinearAlgebraException>(() => native.Solve(a, b));
        Assert.Contains("zgesv: argument 7", e.Message);
    }

    [SkippableFact]
    public void NaN_InAGeneralMatrix_IsRejected_AsArgument5OfZgeev()
    {
        var native = Native();
        var a = Matrix<Complex>.Build.DenseIdentity(3);
        a[0, 2] = new Complex(double.NaN, 0);
        var e = Assert.Throws<LinearAlgebraException>(() => native.EigenvaluesGeneral(a));
        Assert.Contains("zgeev: argument 5", e.Message);
    }

    [SkippableFact]
    public void NaN_InAnLuFactorisation_IsRejected_AsArgument4OfZgetrf()
    {
        Native();
        var data = new Complex[] { 1, 0, 0, new Complex(double.NaN, 0) };
        var e = Assert.Throws<LinearAlgebraException>(() => NativeBackend.LuFactor(data, 2));
        Assert.Contains("zgetrf: argument 4", e.Message);
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(300)]
    [InlineData(1100)]
    public void EigenvaluesSymmetric_EqualTheManagedOnes_AcrossWorkspaceSizes(int n)
    {
        // n ≥ 1024 takes dsyevd_2stage, smaller n dsyevr: both through their workspace queries
        var native = Native();
        var a = Symmetric(n, 10 + n);
        var expected = ManagedBackend.Instance.EigenvaluesSymmetric(a);
        var actual = native.EigenvaluesSymmetric(a);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * scale * Math.Max(1, n / 64.0), $"eigenvalue {i}");
    }

    [SkippableFact]
    public void TheBackend_LoadsOneLibrary_AndNamesIt()
    {
        var native = Native();
        Assert.Contains("LAPACK and BLAS of", native.Name);
        Assert.NotNull(native.LibraryPath);
        Assert.Contains("openblas", native.LibraryPath, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public void AMissingEntryPoint_ThrowsWhatAPInvokeWould_AtTheCall()
    {
        Native();
        Assert.NotEqual(0, NativeMethods.Export("dsyevr_"));
        Assert.Equal(0, NativeMethods.Export("davies_no_such_routine_"));
        var e = Assert.Throws<EntryPointNotFoundException>(() => NativeMethods.Bound(NativeMethods.Export("davies_no_such_routine_"), "davies_no_such_routine_"));
        Assert.Contains("davies_no_such_routine_", e.Message);
        Assert.Equal(NativeMethods.Export("dsyevr_"), NativeMethods.Bound(NativeMethods.Export("dsyevr_"), "dsyevr_"));
    }
}

using Davies.LinearAlgebra;
using static Davies.Tests.LinearAlgebra.TestMatrices;

namespace Davies.Tests.LinearAlgebra;

/// <summary>
/// The native backend ends OpenBLAS's idle worker threads after loading (they would spin for ~0.1 s on a second core);
/// a later call large enough for several threads starts them again and computes the same product as before.
/// </summary>
public class NativeWorkerThreadTests
{
    private static NativeBackend Native()
    {
        bool loaded = NativeBackend.TryGet(out var native, out var failure);
        Skip.IfNot(loaded, $"native backend unavailable ({failure})");
        return native!;
    }

    [SkippableFact]
    public void ThreadedProduct_AfterParkingTheWorkers_IsUnchanged()
    {
        var native = Native();
        const int n = 320; // above the one-thread limit of 256² entries
        var a = RandomReal(n, n, 71);
        var b = RandomReal(n, n, 72);
        var before = native.Multiply(a, b);
        NativeBackend.ParkWorkerThreads();
        var after = native.Multiply(a, b); // restarts the workers
        Assert.Equal(before.ToColumnMajorArray(), after.ToColumnMajorArray());
        NativeBackend.ParkWorkerThreads();
        NativeBackend.ParkWorkerThreads(); // parking parked workers is harmless
        var managed = ManagedBackend.Instance.Multiply(a, b);
        Assert.True((native.Multiply(a, b) - managed).InfinityNorm() < 1e-10 * n, "native product differs from the managed one");
    }

    [SkippableFact]
    public void ComplexProduct_AfterParkingTheWorkers_IsUnchanged()
    {
        var native = Native();
        const int n = 300;
        var a = RandomComplex(n, n, 73);
        var b = RandomComplex(n, n, 74);
        var before = native.Multiply(a, b);
        NativeBackend.ParkWorkerThreads();
        Assert.Equal(before.ToColumnMajorArray(), native.Multiply(a, b).ToColumnMajorArray());
    }
}

/// <summary>The native symmetric eigensolver on an array the caller gives up gives the same values and vectors as on a copy.</summary>
public class NativeOverwritingEigenTests
{
    [SkippableTheory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(128)]
    public void EigenSymmetricOverwriting_EqualsEigenSymmetric_Bitwise(int n)
    {
        bool loaded = NativeBackend.TryGet(out var native, out var failure);
        Skip.IfNot(loaded, $"native backend unavailable ({failure})");
        var a = RandomSymmetric(n, 90 + n);
        var expected = native!.EigenSymmetric(a);
        Assert.Equal(RandomSymmetric(n, 90 + n).ToColumnMajorArray(), a.ToColumnMajorArray()); // the copying one leaves it alone
        var actual = native.EigenSymmetricOverwriting(a.Clone());
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Vectors.ToColumnMajorArray(), actual.Vectors.ToColumnMajorArray());
    }
}

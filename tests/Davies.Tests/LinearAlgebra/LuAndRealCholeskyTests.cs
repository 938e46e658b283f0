using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>
/// The LU factorisation of the shift-invert operator (zgetrf/zgetrs or Math.NET) solves A x = b, and the real Cholesky
/// test (dpotrf or managed) decides positive definiteness like the eigenvalues do, on both backends.
/// </summary>
public class LuAndRealCholeskyTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "managed", 30 }, { "managed", 130 }, { "native", 30 }, { "native", 130 },
    };

    private static ILinearAlgebraBackend Backend(string name)
    {
        if (name == "managed") return ManagedBackend.Instance;
        Skip.IfNot(NativeBackend.TryGet(out var native, out var failure), $"native backend unavailable ({failure})");
        return native!;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LuFactorization_SolvesTheSystem(string backend, int n)
    {
        var rng = new Random(n);
        var a = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var copy = a.Clone();
        var lu = LuFactorization.Of(a, Backend(backend));
        Assert.Equal(copy, a); // unchanged
        for (int trial = 0; trial < 2; trial++)
        {
            var b = Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble(), rng.NextDouble() - 0.5)).ToArray();
            var x = b.ToArray();
            lu.Solve(x);
            var residual = a * Vector<Complex>.Build.Dense(x) - Vector<Complex>.Build.Dense(b);
            Assert.True(residual.L2Norm() < 1e-10 * Vector<Complex>.Build.Dense(b).L2Norm(), $"residual {residual.L2Norm()}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void RealCholesky_Succeeds_ExactlyWhenTheSmallestEigenvalueIsPositive(string backend, int n)
    {
        var be = Backend(backend);
        var rng = new Random(100 + n);
        var g = Matrix<double>.Build.Dense(n, n, (_, _) => rng.NextDouble() - 0.5);
        var s = g * g.Transpose();
        double min = s.Evd(Symmetricity.Symmetric).EigenValues.Min(z => z.Real);
        foreach (double shift in new[] { -min + 1e-3, -min - 1e-3, -min + 1.0, -min - 1.0 })
        {
            var a = s + shift * Matrix<double>.Build.DenseIdentity(n);
            bool expected = min + shift > 0;
            Assert.Equal(expected, RealCholesky.Succeeds(a.ToColumnMajorArray(), n, be));
        }
    }
}

/// <summary>The native inverse (zgetrf + zgetrs on the identity) of the propagator's eigenvector matrices.</summary>
public class NativeInverseTests
{
    [SkippableFact]
    public void NativeInverse_TimesTheMatrix_IsTheIdentity_AndEqualsMathNet()
    {
        Skip.IfNot(NativeBackend.TryGet(out _, out var failure), $"native backend unavailable ({failure})");
        var rng = new Random(90);
        const int n = 90;
        var a = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var copy = a.Clone();
        var inv = NativeBackend.Inverse(a);
        Assert.Equal(copy, a); // unchanged
        var identity = Matrix<Complex>.Build.DenseIdentity(n);
        Assert.True((a * inv - identity).L1Norm() < 1e-10, "A A⁻¹ ≠ I");
        Assert.True((inv - a.Inverse()).L1Norm() < 1e-9 * inv.L1Norm(), "native and Math.NET inverses differ");
    }

    [SkippableFact]
    public void NativeInverse_OfASingularMatrix_Throws()
    {
        Skip.IfNot(NativeBackend.TryGet(out _, out var failure), $"native backend unavailable ({failure})");
        var a = Matrix<Complex>.Build.Dense(70, 70); // all zeros
        Assert.Throws<LinearAlgebraException>(() => NativeBackend.Inverse(a));
    }
}

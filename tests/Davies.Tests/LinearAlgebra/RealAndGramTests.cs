using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

public class RealAndGramTests
{
    public static TheoryData<string> Backends() => new() { "managed", "native" };

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void RealProductsAndGramMatrices_MatchTheDefinitions(string name)
    {
        ILinearAlgebraBackend backend = ManagedBackend.Instance;
        if (name == "native")
        {
            bool loaded = NativeBackend.TryGet(out var native, out var failure);
            Skip.IfNot(loaded, $"native backend unavailable ({failure})");
            backend = native!;
        }
        var a = TestMatrices.RandomReal(37, 23, 1);
        var b = TestMatrices.RandomReal(23, 11, 2);
        var c = TestMatrices.RandomReal(37, 11, 3);
        Assert.True((backend.Multiply(a, b) - a * b).FrobeniusNorm() < 1e-12);
        Assert.True((backend.TransposeMultiply(a, c) - a.Transpose() * c).FrobeniusNorm() < 1e-12);
        Assert.True((backend.Gram(a) - a.Transpose() * a).FrobeniusNorm() < 1e-12);
        var z = TestMatrices.RandomComplex(19, 13, 4);
        var g = backend.Gram(z);
        Assert.True((g - z.ConjugateTranspose() * z).FrobeniusNorm() < 1e-12);
        Assert.True((g - g.ConjugateTranspose()).FrobeniusNorm() == 0);
    }
}

public class NativeSvdRegressionTests
{
    // Debian's LAPACKE 3.11 over OpenBLAS 0.3.21 segfaults in zgesdd from n ≈ 850 when called from .NET;
    // the native backend hands SVDs above NativeBackend.SvdNativeLimit to the managed SVD.
    [SkippableFact]
    public void ComplexSvd_OfALargeMatrix_DoesNotCrash_AndReconstructs()
    {
        bool loaded = NativeBackend.TryGet(out var native, out var failure);
        Skip.IfNot(loaded, $"native backend unavailable ({failure})");
        var a = TestMatrices.RandomComplex(NativeBackend.SvdNativeLimit + 60, NativeBackend.SvdNativeLimit + 60, 17);
        var (s, u, vh) = native!.Svd(a);
        var sigma = Matrix<Complex>.Build.DenseOfDiagonalArray(s.Select(x => new Complex(x, 0)).ToArray());
        Assert.True((u * sigma * vh - a).FrobeniusNorm() < 1e-9 * a.FrobeniusNorm());
    }
}

using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

public class RealAndGramTests
{
    public static IEnumerable<object[]> Backends()
    {
        yield return [ManagedBackend.Instance];
        if (NativeBackend.TryGet(out var native, out _)) yield return [native!];
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void RealProductsAndGramMatrices_MatchTheDefinitions(ILinearAlgebraBackend backend)
    {
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

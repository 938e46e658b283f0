using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>The SIMD reductions of <see cref="DenseKernels"/> against plain loops (every length around the vector width).</summary>
public class DenseKernelsTests
{
    [Fact]
    public void MaxAbs_EqualsTheLoop_ForEveryLengthAndPosition()
    {
        var rng = new Random(5);
        for (int n = 0; n <= 3 * System.Numerics.Vector<double>.Count + 3; n++)
            for (int peak = 0; peak < Math.Max(1, n); peak++)
            {
                var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
                if (n > 0) x[peak] = -3 - rng.NextDouble(); // the largest magnitude negative, anywhere (the tail too)
                double expected = x.Length == 0 ? 0 : x.Max(Math.Abs);
                Assert.Equal(expected, DenseKernels.MaxAbs(x));
            }
    }
}

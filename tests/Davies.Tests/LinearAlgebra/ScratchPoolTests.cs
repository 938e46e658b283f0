using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>The scratch arrays of the spectrum's sector loop: exact lengths, reuse, zeroing on request, nothing kept after Clear.</summary>
public class ScratchPoolTests
{
    // Other tests may use the pool concurrently (it is process-wide): each assertion holds whatever they do.
    [Fact]
    public void Rent_HasTheExactLength_AndRentZeroed_IsZero()
    {
        const long n = (3L << 20) / 16 + 7; // complex, over the 1 MiB pooling minimum, an unusual length
        var a = ScratchPool.Rent<Complex>(n);
        Assert.Equal(n, a.LongLength);
        Array.Fill(a, new Complex(1, 2));
        ScratchPool.Return(a);
        var b = ScratchPool.RentZeroed<Complex>(n);
        Assert.Equal(n, b.LongLength);
        Assert.All(b, z => Assert.Equal(Complex.Zero, z));
        ScratchPool.Return(b);
    }

    [Fact]
    public void SmallArrays_AreNeverKept()
    {
        var a = ScratchPool.Rent<double>(1000);
        ScratchPool.Return(a);
        Assert.NotSame(a, ScratchPool.Rent<double>(1000));
    }

    [Fact]
    public void LargeArrays_AreReused_UntilCleared()
    {
        const long n = (5L << 20) / 8 + 11; // doubles, a length no other test uses
        // a spectrum computed by another test may Clear the pool between Return and Rent: reuse must show in a few tries
        var a = ScratchPool.Rent<double>(n);
        bool reused = false;
        for (int attempt = 0; attempt < 5 && !reused; attempt++)
        {
            ScratchPool.Return(a);
            var b = ScratchPool.Rent<double>(n);
            reused = ReferenceEquals(a, b);
            a = b;
        }
        Assert.True(reused);
        ScratchPool.Return(a);
        ScratchPool.Clear();
        Assert.NotSame(a, ScratchPool.Rent<double>(n));
    }
}

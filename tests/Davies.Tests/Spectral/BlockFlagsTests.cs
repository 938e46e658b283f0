using Davies.Spectral;

namespace Davies.Tests.Spectral;

/// <summary>Setting a word of flags at once (<see cref="BlockFlags.SetBits"/>) equals setting them one by one.</summary>
public class BlockFlagsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(191)]
    public void SetBits_EqualsSettingEachFlag_AcrossWordBoundaries(long start)
    {
        var rng = new Random(7 + (int)start);
        for (int trial = 0; trial < 50; trial++)
        {
            ulong bits = ((ulong)rng.NextInt64() << 1) ^ (ulong)rng.Next();
            if (trial == 0) bits = ulong.MaxValue;
            if (trial == 1) bits = 1UL << 63;
            var one = new BlockFlags(320);
            var word = new BlockFlags(320);
            for (int k = 0; k < 64; k++)
                if ((bits >> k & 1) != 0) one.Set(start + k);
            word.SetBits(start, bits);
            for (long i = 0; i < one.Count; i++) Assert.True(one[i] == word[i], $"flag {i}, start {start}, bits {bits:x}");
        }
    }
}

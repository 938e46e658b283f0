using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Simd = System.Numerics.Vector<double>;

namespace Davies.Solvers.Pruning;

// The Gram entries of a Bohr group's pairs from its block of V (GroupLayout): the magnitudes that the row sums add.
internal sealed partial class SectorDecayBounds
{
    // mag[l − l0] for l in [l0, l1): the magnitude of the Gram entry of the group's pairs k and l, from V from the group's
    // first pair on (row c at c·stride): |Σ_c V[c,k]* V[c,l]| (Real, Complex: one vectorised AXPY per row over a contiguous run), or with
    // mirror images folded (real) |U + 2P| between pairs of one class and |U| between the classes, U over the unpaired
    // rows [0, unpaired) and P over the paired ones (MirrorPlan: Σ_c V[c,q] V[c,q″] = U + (1 + σ_q σ_q″) P).
    private static void GramSegment(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int stride, int rows, int unpaired, GramKind kind,
        int k, int l0, int l1, Span<double> mag, Buffers buf)
    {
        int n = l1 - l0;
        var sr = buf.SumRe.AsSpan(0, n);
        sr.Clear();
        switch (kind)
        {
            case GramKind.Real:
                AddRows(re, stride, k, l0, 0, rows, sr);
                for (int i = 0; i < n; i++) mag[i] = Math.Abs(sr[i]);
                return;
            case GramKind.Complex:
            {
                var si = buf.SumIm.AsSpan(0, n);
                si.Clear();
                for (int c = 0; c < rows; c++)
                {
                    var vr = re.Slice(c * stride + l0, n);
                    var vi = im.Slice(c * stride + l0, n);
                    double ar = re[c * stride + k], ai = im[c * stride + k];
                    // conj(a)·v = (ar vr + ai vi) + i (ar vi − ai vr)
                    Axpy(ar, vr, sr);
                    Axpy(ai, vi, sr);
                    Axpy(ar, vi, si);
                    Axpy(-ai, vr, si);
                }
                for (int i = 0; i < n; i++) mag[i] = Math.Sqrt(sr[i] * sr[i] + si[i] * si[i]);
                return;
            }
        }
        for (int c = 0; c < unpaired; c++) Axpy(re[c * stride + k], re.Slice(c * stride + l0, n), sr);
        if (kind == GramKind.FoldedOtherClass)
        {
            for (int i = 0; i < n; i++) mag[i] = Math.Abs(sr[i]);
            return;
        }
        var sp = buf.SumIm.AsSpan(0, n);
        sp.Clear();
        AddRows(re, stride, k, l0, unpaired, rows, sp);
        for (int i = 0; i < n; i++) mag[i] = Math.Abs(sr[i] + 2 * sp[i]);
    }

    // y += Σ_{c in [from, to)} V[c, k] · V[c, l0 … l0 + y.Length) for real V (row c at c·stride), four rows per pass.
    private static void AddRows(ReadOnlySpan<double> re, int stride, int k, int l0, int from, int to, Span<double> y)
    {
        int n = y.Length, c = from;
        for (; c + 4 <= to; c += 4)
            Axpy4(re[c * stride + k], re.Slice(c * stride + l0, n), re[(c + 1) * stride + k], re.Slice((c + 1) * stride + l0, n),
                re[(c + 2) * stride + k], re.Slice((c + 2) * stride + l0, n), re[(c + 3) * stride + k], re.Slice((c + 3) * stride + l0, n), y);
        for (; c < to; c++) Axpy(re[c * stride + k], re.Slice(c * stride + l0, n), y);
    }

    private const int GramRows = 4;

    // GramSegment of real V for the rows k, …, k + kn − 1 (kn ≤ GramRows) at once, row j at mag[j·n], n = l1 − l0: each run
    // of Simd.Count entries summed over the rows of V in registers (one load of V for the four rows) instead of one AXPY
    // pass per row of V, so that the short ranges of a tile are cheap. The sums run over the rows of V in the same order
    // from zero, so every magnitude is the same number as GramSegment's.
    private static void GramReal(ReadOnlySpan<double> re, int stride, int rows, int unpaired, GramKind kind, int k, int kn, int l0, int l1,
        Span<double> mag, Buffers buf)
    {
        // U over rows [0, u), P over [u, top): |U| (Real: every row is U; the other class: the unpaired rows alone) or |U + 2P|
        int u = kind == GramKind.Real ? rows : unpaired;
        int top = kind == GramKind.FoldedOtherClass ? unpaired : rows;
        var a = buf.Coefficients;
        var b = buf.Broadcast;
        for (int c = 0; c < top; c++)
            for (int j = 0; j < GramRows; j++)
                b[c * GramRows + j] = new Simd(a[c * GramRows + j] = j < kn ? re[c * stride + k + j] : 0);
        ref double v = ref MemoryMarshal.GetReference(re);
        ref Simd w = ref MemoryMarshal.GetArrayDataReference(b);
        int n = l1 - l0, i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Simd.Count; i += Simd.Count)
            {
                Simd u0 = Simd.Zero, u1 = Simd.Zero, u2 = Simd.Zero, u3 = Simd.Zero;
                nuint at = (nuint)(l0 + i);
                int c = 0;
                for (; c < u; c++, at += (nuint)stride)
                {
                    var x = System.Numerics.Vector.LoadUnsafe(ref v, at);
                    ref Simd bc = ref Unsafe.Add(ref w, c * GramRows);
                    u0 += bc * x;
                    u1 += Unsafe.Add(ref bc, 1) * x;
                    u2 += Unsafe.Add(ref bc, 2) * x;
                    u3 += Unsafe.Add(ref bc, 3) * x;
                }
                if (c < top)
                {
                    Simd p0 = Simd.Zero, p1 = Simd.Zero, p2 = Simd.Zero, p3 = Simd.Zero;
                    for (; c < top; c++, at += (nuint)stride)
                    {
                        var x = System.Numerics.Vector.LoadUnsafe(ref v, at);
                        ref Simd bc = ref Unsafe.Add(ref w, c * GramRows);
                        p0 += bc * x;
                        p1 += Unsafe.Add(ref bc, 1) * x;
                        p2 += Unsafe.Add(ref bc, 2) * x;
                        p3 += Unsafe.Add(ref bc, 3) * x;
                    }
                    u0 += p0 * 2.0;
                    u1 += p1 * 2.0;
                    u2 += p2 * 2.0;
                    u3 += p3 * 2.0;
                }
                System.Numerics.Vector.Abs(u0).CopyTo(mag[i..]);
                if (kn > 1) System.Numerics.Vector.Abs(u1).CopyTo(mag[(n + i)..]);
                if (kn > 2) System.Numerics.Vector.Abs(u2).CopyTo(mag[(2 * n + i)..]);
                if (kn > 3) System.Numerics.Vector.Abs(u3).CopyTo(mag[(3 * n + i)..]);
            }
        }
        for (; i < n; i++)
            for (int j = 0; j < kn; j++)
            {
                double su = 0, sp = 0;
                int at = l0 + i, c = 0;
                for (; c < u; c++, at += stride) su += a[c * GramRows + j] * re[at];
                if (c < top)
                {
                    for (; c < top; c++, at += stride) sp += a[c * GramRows + j] * re[at];
                    su += 2 * sp;
                }
                mag[j * n + i] = Math.Abs(su);
            }
    }

    // y += a0·x0 + a1·x1 + a2·x2 + a3·x3, vectorised (one load and store of y for four couplings).
    private static void Axpy4(double a0, ReadOnlySpan<double> x0, double a1, ReadOnlySpan<double> x1, double a2,
        ReadOnlySpan<double> x2, double a3, ReadOnlySpan<double> x3, Span<double> y)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && y.Length >= Simd.Count)
        {
            Simd v0 = new(a0), v1 = new(a1), v2 = new(a2), v3 = new(a3);
            for (; i <= y.Length - Simd.Count; i += Simd.Count)
                (new Simd(y[i..]) + v0 * new Simd(x0[i..]) + v1 * new Simd(x1[i..]) + v2 * new Simd(x2[i..])
                    + v3 * new Simd(x3[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++) y[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
    }

    // y += a·x over y's length, vectorised.
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (a == 0) return;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && y.Length >= Simd.Count)
        {
            var va = new Simd(a);
            for (; i <= y.Length - Simd.Count; i += Simd.Count)
                (new Simd(y[i..]) + va * new Simd(x[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++) y[i] += a * x[i];
    }
}

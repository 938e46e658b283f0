using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>Loading the native library: the probe, its smoke test and the mapped file.</summary>
internal sealed unsafe partial class NativeBackend
{
    private static (NativeBackend? Backend, string? Failure) ProbeCore()
    {
        try
        {
            const string library = NativeMethods.OpenBlas;
            if (NativeMethods.Handle == 0) return (null, $"cannot load {library}");
            foreach (var symbol in NativeMethods.RequiredSymbols)
                if (NativeMethods.Export(symbol) == 0)
                    return (null, $"{library} does not export {symbol}" +
                                  (symbol.EndsWith('_') ? " (an OpenBLAS built without LAPACK)" : ""));
            var smoke = SmokeTest();
            if (smoke is not null) return (null, smoke);
            ParkWorkerThreads();

            return (new NativeBackend(), null);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// 2×2 checks with known answers: [[2, i], [−i, 2]] has eigenvalues 1 and 3; its square is [[5, 4i], [−4i, 5]]. On raw
    /// arrays (no Math.NET matrices: their first use is cold code on the thread every command waits for).
    /// </summary>
    private static string? SmokeTest()
    {
        var i = Complex.ImaginaryOne;
        Complex[] h = [2, -i, i, 2]; // column-major
        var a = (Complex[])h.Clone();
        var w = new double[2];
        var z = new Complex[4];
        var isuppz = new int[4];
        int m = 0, info;
        using (Enter(4))
        fixed (Complex* pa = a, pz = z)
        fixed (double* pw = w)
        fixed (int* ps = isuppz)
            info = NativeLapack.Zheevr((byte)'V', (byte)'L', 2, pa, 2, &m, pw, pz, 2, ps);
        if (info != 0 || m != 2) return $"smoke test: zheevr failed (info = {info}, {m} of 2 eigenvalues)";
        if (Math.Abs(w[0] - 1) > 1e-12 || Math.Abs(w[1] - 3) > 1e-12)
            return $"smoke test: zheevr returned eigenvalues {w[0]}, {w[1]} instead of 1, 3";
        double residual = 0; // ‖H z_k − w_k z_k‖ over both columns
        for (int k = 0; k < 2; k++)
            for (int r = 0; r < 2; r++)
            {
                var e = h[r] * z[2 * k] + h[r + 2] * z[1 + 2 * k] - w[k] * z[r + 2 * k];
                residual += e.Real * e.Real + e.Imaginary * e.Imaginary;
            }
        if (!(Math.Sqrt(residual) < 1e-12)) return $"smoke test: zheevr eigenvectors are wrong (residual {Math.Sqrt(residual)})";
        var sq = new Complex[4];
        Complex alpha = Complex.One, beta = Complex.Zero;
        using (Enter(4))
        fixed (Complex* ph = h, pq = sq)
            NativeMethods.Zgemm(NativeMethods.CblasColMajor, NativeMethods.CblasNoTrans, NativeMethods.CblasNoTrans, 2, 2, 2,
                &alpha, ph, 2, ph, 2, &beta, pq, 2);
        Complex[] expected = [5, -4 * i, 4 * i, 5];
        for (int k = 0; k < 4; k++)
            if (!((sq[k] - expected[k]).Magnitude < 1e-12)) return "smoke test: cblas_zgemm returned a wrong product";
        return null;
    }

    /// <summary>
    /// The backend's name and the library's file, read when first asked for (by the output, not on the way to the first
    /// native call: /proc/self/maps is ~0.2 ms of a small command's start-up).
    /// </summary>
    private static (string Name, string Path) Describe()
    {
        string library = NativeMethods.OpenBlas, path = library;
        string? config = null;
        try
        {
            var p = NativeMethods.OpenBlasGetConfig();
            if (p != 0) config = Marshal.PtrToStringUTF8(p)?.Trim();
            if (NativeMethods.Export("dsyevr_") is var entry and not 0) path = MappedFileAt(entry) ?? library;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return ($"native (LAPACK and BLAS of {path}; {config ?? "OpenBLAS"})", path);
    }

    /// <summary>The file mapped at <paramref name="address"/> (an exported symbol's), from /proc/self/maps; null if unknown.</summary>
    private static string? MappedFileAt(nint address)
    {
        try
        {
            if (!File.Exists("/proc/self/maps")) return null;
            ulong at = (ulong)address;
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int dash = line.IndexOf('-'), space = line.IndexOf(' '), slash = line.IndexOf('/');
                if (dash < 0 || space < dash || slash < 0) continue;
                if (!ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out ulong start) ||
                    !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out ulong end))
                    continue;
                if (start <= at && at < end) return line[slash..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

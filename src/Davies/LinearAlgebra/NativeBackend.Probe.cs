using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.LinearAlgebra;

/// <summary>Loading the native library: the probe, its smoke test and the mapped file.</summary>
internal sealed unsafe partial class NativeBackend
{
    private static (NativeBackend? Backend, string? Failure) ProbeCore()
    {
        try
        {
            const string library = NativeMethods.OpenBlas;
            if (!TryLoad(library, out var handle)) return (null, $"cannot load {library}");
            foreach (var symbol in NativeMethods.RequiredSymbols)
                if (!NativeLibrary.TryGetExport(handle, symbol, out _))
                    return (null, $"{library} does not export {symbol}" +
                                  (symbol.EndsWith('_') ? " (an OpenBLAS built without LAPACK)" : ""));
            var smoke = SmokeTest();
            if (smoke is not null) return (null, smoke);
            ParkWorkerThreads();

            string? config = null;
            var p = NativeMethods.OpenBlasGetConfig();
            if (p != 0) config = Marshal.PtrToStringUTF8(p)?.Trim();
            string path = NativeLibrary.TryGetExport(handle, "dsyevr_", out var entry) ? MappedFileAt(entry) ?? library : library;
            string name = $"native (LAPACK and BLAS of {path}; {config ?? "OpenBLAS"})";
            return (new NativeBackend(name, path), null);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Loads <paramref name="library"/> where its P/Invokes look for it (no DefaultDllImportSearchPaths attribute: the
    /// application's directory, then the system's search), without TryLoad(name, assembly, null), which reads that
    /// attribute by reflection (about 1 ms and 75 page faults of a Native AOT start-up).
    /// </summary>
    private static bool TryLoad(string library, out nint handle)
    {
        var local = Path.Combine(AppContext.BaseDirectory, library);
        if (File.Exists(local) && NativeLibrary.TryLoad(local, out handle)) return true;
        return NativeLibrary.TryLoad(library, out handle);
    }

    /// <summary>2×2 checks with known answers: [[2, i], [−i, 2]] has eigenvalues 1 and 3; its square is [[5, 4i], [−4i, 5]].</summary>
    private static string? SmokeTest()
    {
        var h = Matrix<Complex>.Build.DenseOfArray(new[,]
        {
            { new Complex(2, 0), new Complex(0, 1) },
            { new Complex(0, -1), new Complex(2, 0) },
        });
        var probe = new NativeBackend("probe", null);
        var eig = probe.EigenHermitian(h);
        if (Math.Abs(eig.Values[0] - 1) > 1e-12 || Math.Abs(eig.Values[1] - 3) > 1e-12)
            return $"smoke test: zheevr returned eigenvalues {eig.Values[0]}, {eig.Values[1]} instead of 1, 3";
        var residual = (h * eig.Vectors - eig.Vectors * Matrix<Complex>.Build.DenseOfDiagonalArray(
            eig.Values.Select(v => new Complex(v, 0)).ToArray())).FrobeniusNorm();
        if (!(residual < 1e-12)) return $"smoke test: zheevr eigenvectors are wrong (residual {residual})";
        var sq = probe.Multiply(h, h);
        var expected = Matrix<Complex>.Build.DenseOfArray(new[,]
        {
            { new Complex(5, 0), new Complex(0, 4) },
            { new Complex(0, -4), new Complex(5, 0) },
        });
        if (!((sq - expected).FrobeniusNorm() < 1e-12)) return "smoke test: cblas_zgemm returned a wrong product";
        return null;
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

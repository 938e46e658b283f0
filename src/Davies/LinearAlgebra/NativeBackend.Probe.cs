using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.LinearAlgebra;

/// <summary>Loading the native libraries: the probe, its smoke test and the mapped LAPACK file.</summary>
internal sealed unsafe partial class NativeBackend
{
    private static (NativeBackend? Backend, string? Failure) ProbeCore()
    {
        try
        {
            foreach (var (library, symbol) in NativeMethods.RequiredSymbols)
            {
                if (!TryLoad(library, out var handle))
                    return (null, $"cannot load {library}");
                if (!NativeLibrary.TryGetExport(handle, symbol, out _))
                    return (null, $"{library} does not export {symbol}");
            }
            var smoke = SmokeTest();
            if (smoke is not null) return (null, smoke);
            ParkWorkerThreads();

            string? config = null;
            var p = NativeMethods.OpenBlasGetConfig();
            if (p != 0) config = Marshal.PtrToStringUTF8(p)?.Trim();
            var lapackPath = FindMappedLibrary("liblapack.so.3");
            string lapack = lapackPath is null ? "liblapack.so.3" : lapackPath;
            string name = $"native (LAPACKE → {lapack}; {config ?? "OpenBLAS"})";
            return (new NativeBackend(name, lapackPath), null);
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

    /// <summary>The path of a mapped shared object whose file name is <paramref name="fileName"/>, from /proc/self/maps.</summary>
    private static string? FindMappedLibrary(string fileName)
    {
        try
        {
            if (!File.Exists("/proc/self/maps")) return null;
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..].Trim();
                if (Path.GetFileName(path) == fileName) return path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// The eigendecomposition floor of issue 16 (one JSON line):
///   floor --n N --coupling z|x [--no-plain]
/// the eigendecomposition of H_S as the model build does it (block by block of the detected symmetries, with the
/// symmetry detection itself) and, unless --no-plain, the plain dense one (one LAPACK call on d × d).
/// </summary>
internal static class FloorRun
{
    public static int Run(Args a)
    {
        int n = a.Int("n", 8);
        char coupling = a.Coupling();
        LinearAlgebraProvider.UseBestAvailable();
        var backend = LinearAlgebraProvider.Current;
        var warm = IsingChain.Build(3, coupling, true, out _);
        _ = EigenBasis.Compute(warm.Hamiltonian, Symmetries.SymmetryResolution.For(warm), null, backend);
        _ = EigenBasis.Compute(warm.Hamiltonian, null, backend);
        var model = IsingChain.Build(n, coupling, true, out _);
        var clock = Stopwatch.StartNew();
        var symmetries = Symmetries.SymmetryResolution.For(model);
        var blocked = EigenBasis.Compute(model.Hamiltonian, symmetries, null, backend);
        double withSymmetry = clock.Elapsed.TotalSeconds;
        var line = new JsonObject
        {
            ["n"] = n, ["d"] = blocked.Dimension, ["coupling"] = coupling.ToString(),
            ["symmetries"] = string.Join(", ", symmetries.Select(s => s.Description)),
            ["eig_symmetry_s"] = withSymmetry,
        };
        if (!a.Flag("no-plain"))
        {
            blocked = null;
            GC.Collect();
            clock.Restart();
            var plain = EigenBasis.Compute(model.Hamiltonian, null, backend);
            line["eig_plain_s"] = clock.Elapsed.TotalSeconds;
            line["levels_plain"] = plain.Levels.Count;
        }
        line["peak_mib"] = Memory.PeakMiB();
        Console.WriteLine(line.ToJsonString());
        return 0;
    }
}

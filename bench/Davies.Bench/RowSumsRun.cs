using System.Diagnostics;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Solvers.Pruning;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// Development aid: the sector bounds' row sums of one chain, timed several times in one process, with the tiling
/// chosen on the command line (--tile T --min M; --min 0 sums every group directly). Kept build.
/// </summary>
internal static class RowSumsRun
{
    public static int Run(Args a)
    {
        int n = a.Int("n", 10);
        int repeat = a.Int("repeat", 3);
        LinearAlgebraProvider.UseBestAvailable();
        var backend = LinearAlgebraProvider.Current;
        EnergyBasisModel.KeepCouplingsOverride.Value = true;
        var dm = EnergyBasisModel.Build(IsingChain.Build(n, a.Coupling(), true, out _), backend);
        var p = Spectrum.KmsWeights(dm);
        var diagonal = PauliRateMatrix.Shared(dm.Jumps).Diagonal().ToArray();
        var configs = (a.Get("configs") ?? "1024:16,0:0").Split(',')
            .Select(x => x.Split(':')).Select(x => (Tile: int.Parse(x[0]), Min: int.Parse(x[1]))).ToArray();
        for (int r = 0; r < repeat; r++)
            foreach (var (tile, min) in configs)
            {
                SectorDecayBounds.TilingOverride.Value = min == 0 ? (tile, int.MaxValue) : (tile, min);
                var clock = Stopwatch.StartNew();
                var b = SectorDecayBounds.TryCreate(dm, diagonal, p);
                Console.WriteLine($"n={n} tile={tile} min={min}: {clock.Elapsed.TotalSeconds:F3} s");
                GC.KeepAlive(b);
            }
        return 0;
    }
}

using System.Diagnostics;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Solvers.Pruning;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// Development aid: the sector bounds' row sums of one chain, timed several times in one process, with the tiling
/// chosen on the command line (--configs tile:min,…; min 0 sums every group directly). Kept build, or --stream (the
/// first bounds from the entries the build kept, the next ones from a second pass over the transforms).
/// </summary>
internal static class RowSumsRun
{
    public static int Run(Args a)
    {
        int n = a.Int("n", 10);
        int repeat = a.Int("repeat", 3);
        LinearAlgebraProvider.UseBestAvailable();
        var backend = LinearAlgebraProvider.Current;
        EnergyBasisModel.KeepCouplingsOverride.Value = !a.Flag("stream");
        var dm = EnergyBasisModel.Build(IsingChain.Build(n, a.Coupling(), true, out _), backend);
        var p = Spectrum.KmsWeights(dm);
        var diagonal = PauliRateMatrix.Shared(dm.Jumps).Diagonal().ToArray();
        var configs = (a.Get("configs") ?? "1024:16,0:0").Split(',')
            .Select(x => x.Split(':')).Select(x => (Tile: int.Parse(x[0]), Min: int.Parse(x[1]))).ToArray();
        for (int r = 0; r < repeat; r++)
            foreach (var (tile, min) in configs)
            {
                SectorDecayBounds.TilingOverride.Value = tile == 0 ? null : min == 0 ? (tile, int.MaxValue) : (tile, min);
                var clock = Stopwatch.StartNew();
                double sumsAt = double.NaN;
                var b = SectorDecayBounds.TryCreate(dm, diagonal, p, progress: new Marks(m => { if (m.EndsWith("row sums")) sumsAt = clock.Elapsed.TotalSeconds; }));
                double total = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"n={n} tile={tile} min={min}: {total:F3} s (row sums {total - sumsAt:F3} s, tiled groups {b?.TiledGroups})");
                GC.KeepAlive(b);
            }
        return 0;
    }

    private sealed class Marks(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

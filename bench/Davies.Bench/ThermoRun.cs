using System.Diagnostics;
using System.Text.Json.Nodes;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Thermodynamics;

namespace Davies.Bench;

/// <summary>
/// Issue 14's performance targets on the benchmark chain (one JSON line):
///   thermo      --n N --coupling z|x [--times K]   build, evolve from |0…0⟩ at K times, and again with the thermodynamic
///                                                   account (EvolutionOptions.Thermodynamics); thermo_s is the difference
///   local-build --n N --coupling z|x               the model build for the global and for the local approach
/// </summary>
internal static class ThermoRun
{
    public static int Thermo(Args a)
    {
        int n = a.Int("n", 6), k = a.Int("times", 101);
        char coupling = a.Coupling();
        Warm(coupling);
        var model = IsingChain.Build(n, coupling, true, out _);
        var clock = Stopwatch.StartNew();
        var dm = EnergyBasisModel.Build(model);
        double build = clock.Elapsed.TotalSeconds;
        var rho0 = Matrix<Complex>.Build.Dense(dm.Dimension, dm.Dimension);
        rho0[0, 0] = 1;
        var times = Enumerable.Range(0, k).Select(i => 50.0 * i / Math.Max(k - 1, 1)).ToArray();
        _ = Evolution.Run(dm, rho0, times); // first call: the model's shared caches (level blocks, Pauli matrix) are built here
        clock.Restart();
        _ = Evolution.Run(dm, rho0, times);
        double evolve = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var account = HeatAndEntropy.Along(Evolution.Run(dm, rho0, times, null, new EvolutionOptions { Thermodynamics = true }));
        double thermo = clock.Elapsed.TotalSeconds - evolve; // the extra cost of the account inside the evolution
        var line = new JsonObject
        {
            ["n"] = n, ["d"] = dm.Dimension, ["coupling"] = coupling.ToString(), ["times"] = k,
            ["build_s"] = build, ["evolve_s"] = evolve, ["thermo_s"] = thermo,
            ["thermo_over_evolve"] = (evolve + thermo) / evolve,
            ["thermo_over_build_and_evolve"] = (build + evolve + thermo) / (build + evolve),
            ["first_law_error"] = Enumerable.Range(0, k).Max(i => Math.Abs(account.Energy[i] - account.Energy[0] - account.Heat.Values.Sum(q => q[i]))),
        };
        Console.WriteLine(line.ToJsonString());
        return 0;
    }

    public static int LocalBuild(Args a)
    {
        int n = a.Int("n", 6);
        char coupling = a.Coupling();
        Warm(coupling);
        var clock = Stopwatch.StartNew();
        var global = EnergyBasisModel.Build(IsingChain.Build(n, coupling, true, out _));
        double globalBuild = clock.Elapsed.TotalSeconds;
        global = null;
        GC.Collect();
        clock.Restart();
        var local = EnergyBasisModel.Build(IsingChain.Build(n, coupling, true, out _, MasterEquationApproach.Local));
        double eigenbasis = clock.Elapsed.TotalSeconds;
        clock.Restart();
        int jumps = LocalJumpOperators.Of(local).Jumps.Count;
        double localJumps = clock.Elapsed.TotalSeconds;
        var line = new JsonObject
        {
            ["n"] = n, ["d"] = local.Dimension, ["coupling"] = coupling.ToString(),
            ["global_build_s"] = globalBuild, ["local_build_s"] = eigenbasis + localJumps,
            ["local_jump_operators_s"] = localJumps, ["local_jumps"] = jumps,
        };
        Console.WriteLine(line.ToJsonString());
        return 0;
    }

    // The native backend when available (as the CLI), then JIT and native-library warm-up on a small chain.
    private static void Warm(char coupling)
    {
        LinearAlgebraProvider.UseBestAvailable();
        var dm = EnergyBasisModel.Build(IsingChain.Build(3, coupling, true, out _, MasterEquationApproach.Local));
        _ = LocalJumpOperators.Of(dm);
        var rho0 = Matrix<Complex>.Build.DenseIdentity(8) / 8;
        _ = HeatAndEntropy.Along(Evolution.Run(EnergyBasisModel.Build(IsingChain.Build(3, coupling, true, out _)), rho0, [0, 1]));
    }
}

using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>
/// Bloch–Redfield qubit H = (ω0/2)Z, coupling X, Ohmic bath. With Γ(ω) = ½G(ω) + iS(ω) the populations decouple:
/// 1/T1 = G(ω0) + G(−ω0). The coherences ρ_eg, ρ_ge obey
/// d/dt (ρ_eg, ρ_ge) = [[−γ − i(ω0 + Δ), γ − iΔ], [γ + iΔ, −γ + i(ω0 + Δ)]] (ρ_eg, ρ_ge), γ = ½(G(ω0) + G(−ω0)),
/// Δ = S(ω0) − S(−ω0), with eigenvalues λ = −γ ± √(γ² − ω0² − 2ω0Δ). No ω = 0 dephasing (X has no diagonal in the
/// eigenbasis). Underdamped: Re λ = −γ, T2 = 2T1; overdamped (strong damping): two real rates, T2 the slower.
/// </summary>
public class RedfieldQubitTests
{
    private static string Model(double eta, double cutoff, double temperature, bool lambShift) => CliRunner.TempModel(
        "sites: [2]\nhamiltonian: [[0.5, Z0]]\nbaths:\n" +
        $"  - {{name: b, temperature: {temperature.ToString(CultureInfo.InvariantCulture)}, spectrum: {{type: ohmic, eta: {eta.ToString(CultureInfo.InvariantCulture)}, cutoff: {cutoff.ToString(CultureInfo.InvariantCulture)}}}, couplings: [X0]}}\n" +
        $"options: {{secular: none, lamb_shift: {(lambShift ? "true" : "false")}}}\n");

    /// <summary>G(ω) = 2πJ(ω)(n(ω) + 1), J(ω) = η ω e^{−|ω|/ω_c} odd (docs/baths.md), written out independently.</summary>
    private static double G(double w, double eta, double wc, double t) =>
        2 * Math.PI * eta * w * Math.Exp(-Math.Abs(w) / wc) / (1 - Math.Exp(-w / t));

    private static Complex[] Analytic(double gp, double gm, double delta)
    {
        double g = 0.5 * (gp + gm), w0 = 1;
        var root = Complex.Sqrt(g * g - w0 * w0 - 2 * w0 * delta);
        return [-g + root, -g - root, -(gp + gm)];
    }

    [Theory]
    // QuTiP 4.7.1 bloch_redfield_tensor(0.5σz, [[σx, G]], use_secular=False) eigenvalues (no Lamb shift):
    [InlineData(0.05, 10, 0.5, -0.18662371, 0.98243147, -0.18662371, -0.37324743)]   // underdamped
    [InlineData(0.2, 10, 1.0, -0.51364029, 0, -1.94688777, -2.46052806)]            // overdamped: real coherence modes
    [InlineData(0.1, 5, 2.0, -0.7294045, 0, -1.37098139, -2.10038589)]              // overdamped
    public void T1T2_MatchAnalyticAndQuTiP_WithoutLambShift(double eta, double wc, double t,
        double slowRe, double slowIm, double otherRe, double population)
    {
        string path = Model(eta, wc, t, lambShift: false);
        try
        {
            double gp = G(1, eta, wc, t), gm = G(-1, eta, wc, t);
            var lam = Analytic(gp, gm, 0);
            // the analytic eigenvalues reproduce QuTiP's
            Assert.Equal(slowRe, lam[0].Real, 7);
            Assert.Equal(Math.Abs(slowIm), Math.Abs(lam[0].Imaginary), 7);
            Assert.Equal(otherRe, lam[1].Real, 7);
            Assert.Equal(population, lam[2].Real, 7);

            double t1 = 1 / (gp + gm);
            double t2 = 1 / Math.Min(-lam[0].Real, -lam[1].Real);
            var r = CliRunner.Run("spectrum", path, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var root = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal(t1, root.GetProperty("t1").GetDouble(), 9);
            Assert.Equal(t2, root.GetProperty("t2").GetDouble(), 9);
            if (slowIm != 0) Assert.Equal(2 * t1, t2, 9);
            AssertModesLabelledBySector(root, lam);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(0.05, 10, 0.5)]
    [InlineData(0.2, 10, 1.0)]
    [InlineData(0.1, 5, 2.0)]
    public void T1T2_MatchAnalytic_WithLambShift(double eta, double wc, double t)
    {
        string path = Model(eta, wc, t, lambShift: true);
        try
        {
            var dm = EnergyBasisModel.Build(ModelFile.Load(path));
            int up = dm.Bohr.Id(0, 1); // ω = E_1 − E_0 = +1 (levels ascending)
            Assert.Equal(1.0, dm.Bohr.Value(up), 12);
            double gp = dm.Jumps.Rate(0, up), gm = dm.Jumps.Rate(0, -up);
            Assert.Equal(G(1, eta, wc, t), gp, 10);
            Assert.Equal(G(-1, eta, wc, t), gm, 10);
            double delta = dm.Jumps.LambShift(0, up) - dm.Jumps.LambShift(0, -up);
            Assert.True(Math.Abs(delta) > 1e-3, "the test needs a Lamb shift");
            var lam = Analytic(gp, gm, delta);
            var s = Spectrum.Compute(dm);
            Assert.Equal(1 / (gp + gm), s.T1!.Value, 9);
            Assert.Equal(1 / Math.Min(-lam[0].Real, -lam[1].Real), s.T2!.Value, 9);
            var values = s.Eigenvalues.Select(m => m.Eigenvalue).Where(z => z.Magnitude > 1e-9).ToArray();
            foreach (var expected in lam)
                Assert.Contains(values, z => (z - expected).Magnitude < 1e-9);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MixedCoupling_ModeLabelledByGroupedWeight_T1FromIt()
    {
        // Coupling X + ½Z: dephasing mixes populations and coherences. The slow real mode has 41 % of its weight on
        // the two populations together but its largest single component on a coherence: grouped by Bohr sector it
        // is the ν = 0 mode, and T1 comes from it. Reference: QuTiP 4.7.1 bloch_redfield_tensor (no Lamb shift).
        string path = CliRunner.TempModel(
            "sites: [2]\nhamiltonian: [[0.5, Z0]]\nbaths:\n  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.1, cutoff: 10}, couplings: [[[1, X0], [0.5, Z0]]]}\n" +
            "options: {secular: none, lamb_shift: false}\n");
        try
        {
            var r = CliRunner.Run("spectrum", path, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var root = JsonDocument.Parse(r.Out).RootElement;
            var modes = root.GetProperty("modes").EnumerateArray()
                .Select(m => (Re: m.GetProperty("eigenvalue")[0].GetDouble(), Im: m.GetProperty("eigenvalue")[1].GetDouble(), Nu: m.GetProperty("bohr_frequency").GetDouble()))
                .ToArray();
            Assert.Equal(3, modes.Length);
            var population = Assert.Single(modes, m => m.Nu == 0);
            Assert.Equal(-0.76627064035, population.Re, 9);
            Assert.Equal(0, population.Im, 12);
            foreach (var m in modes.Where(m => m.Nu != 0))
            {
                Assert.Equal(-1.1612879770, m.Re, 9);
                Assert.Equal(0.50688439692, Math.Abs(m.Im), 9);
                Assert.Equal(-Math.Sign(m.Im), Math.Sign(m.Nu)); // ρ_mn rotates as e^{−iνt}
            }
            Assert.Equal(1 / 0.76627064035, root.GetProperty("t1").GetDouble(), 8);
            Assert.Equal(1 / 1.1612879770, root.GetProperty("t2").GetDouble(), 8);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void StrongDephasing_NoModeInTheSectorNuZero_T1StillReported()
    {
        // X + ½Z, η = 0.2: every decaying mode has more weight on one coherence than on both populations (QuTiP:
        // the complex pair −2.9508 ± 0.452i has a 39 % population share, the slow real mode −0.2761 23 %). T1 then
        // comes from the mode with the largest population share, and T2 from the slowest of the others.
        string path = CliRunner.TempModel(
            "sites: [2]\nhamiltonian: [[0.5, Z0]]\nbaths:\n  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.2, cutoff: 10}, couplings: [[[1, X0], [0.5, Z0]]]}\n" +
            "options: {secular: none, lamb_shift: false}\n");
        try
        {
            var s = Spectrum.Compute(ModelFile.Load(path));
            var decaying = s.Eigenvalues.Where(m => m.Eigenvalue.Magnitude > 1e-9).ToArray();
            Assert.Equal(3, decaying.Length);
            Assert.All(decaying, m => Assert.Equal(1, Math.Abs(m.BohrFrequency)));
            var slow = decaying.OrderBy(m => -m.Eigenvalue.Real).First();
            Assert.True(Math.Abs(slow.Eigenvalue.Imaginary) < 1e-9);
            Assert.Equal(-0.2761, slow.Eigenvalue.Real, 4);
            var pair = decaying.Where(m => m != slow).ToArray();
            Assert.All(pair, m => Assert.Equal(-2.9508, m.Eigenvalue.Real, 4));
            Assert.Equal(1 / pair[0].Eigenvalue.Magnitude, s.T1!.Value, 10);
            Assert.Equal(1 / Math.Abs(slow.Eigenvalue.Real), s.T2!.Value, 10);
        }
        finally { File.Delete(path); }
    }

    /// <summary>The population mode is labelled ν = 0, both coherence modes ±1 (also when strong damping makes them real).</summary>
    private static void AssertModesLabelledBySector(JsonElement root, Complex[] lam)
    {
        var modes = root.GetProperty("modes").EnumerateArray()
            .Select(m => (Re: m.GetProperty("eigenvalue")[0].GetDouble(), Im: m.GetProperty("eigenvalue")[1].GetDouble(), Nu: m.GetProperty("bohr_frequency").GetDouble()))
            .ToArray();
        Assert.Equal(3, modes.Length);
        foreach (var mode in modes)
        {
            bool population = Math.Abs(mode.Re - lam[2].Real) < 1e-9 && Math.Abs(mode.Im) < 1e-9;
            if (population) Assert.Equal(0, mode.Nu);
            else Assert.Equal(1, Math.Abs(mode.Nu));
        }
        Assert.Single(modes, m => m.Nu == 0);
    }
}

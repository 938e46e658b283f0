using Davies.Generators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Physics;

/// <summary>Closed-form relaxation laws: qubit T1/T2, damped oscillator ⟨n⟩(t), kinetic Ising (Glauber) gap.</summary>
public class RelaxationOracleTests
{
    private static Matrix<Complex> Ket(int d, int k)
    {
        var m = Matrix<Complex>.Build.Dense(d, d);
        m[k, k] = 1;
        return m;
    }

    [Theory]
    [InlineData(1.0, 0.7)]
    [InlineData(2.0, 3.0)]
    [InlineData(1.0, double.PositiveInfinity)]
    public void Qubit_SigmaZ_RelaxesExponentiallyWithT1(double omega0, double beta)
    {
        var model = TestModels.Qubit(omega0, beta);
        var r = new TestRates(beta, 0.05, 4, 0);
        double rate = r.Rate(omega0) + r.Rate(-omega0);
        double zInf = -Math.Tanh(beta * omega0 / 2), z0 = 1; // start in |0⟩ (σz = +1, the excited state)
        double[] times = [0, 0.5, 3, 10, 40, 200];
        var res = Evolution.Run(model, Ket(2, 0), times, [new NamedOperator("Z", TestModels.Pauli('Z'))]);
        for (int i = 0; i < times.Length; i++)
        {
            double expected = zInf + (z0 - zInf) * Math.Exp(-rate * times[i]);
            Assert.True(Math.Abs(res.Expectations["Z"][i] - expected) < 1e-12, $"t={times[i]}: {res.Expectations["Z"][i]} vs {expected}");
        }
        var spec = Spectrum.Compute(model);
        Assert.Equal(1 / rate, spec.T1!.Value, 1e-10 / rate);
        Assert.Equal(2 / rate, spec.T2!.Value, 1e-10 / rate);
        Assert.Equal(rate / 2, spec.SpectralGap, 1e-12);
        Assert.Equal(1 / spec.T2!.Value, spec.SpectralGap, 1e-12);
        Assert.Equal(rate, spec.PopulationGap!.Value, 1e-12);
        Assert.Equal(1, spec.KernelDimension);
    }

    [Fact]
    public void Qubit_Coherence_DecaysAtHalfThePopulationRate()
    {
        double omega0 = 1.3, beta = 0.9;
        var model = TestModels.Qubit(omega0, beta); // with Lamb shift: only the frequency moves
        var r = new TestRates(beta, 0.05, 4, 0);
        double rate = r.Rate(omega0) + r.Rate(-omega0);
        var plus = Matrix<Complex>.Build.Dense(2, 2, 0.5);
        double[] times = [0, 1, 2.5, 7, 20];
        var res = Evolution.Run(model, plus, times,
            [new NamedOperator("X", TestModels.Pauli('X')), new NamedOperator("Y", TestModels.Pauli('Y'))]);
        for (int i = 0; i < times.Length; i++)
        {
            double amplitude = Math.Sqrt(Math.Pow(res.Expectations["X"][i], 2) + Math.Pow(res.Expectations["Y"][i], 2));
            Assert.True(Math.Abs(amplitude - Math.Exp(-rate / 2 * times[i])) < 1e-12, $"t={times[i]}: {amplitude}");
            Assert.True(Math.Abs(res.DensityMatrix(i)[0, 1].Magnitude - 0.5 * Math.Exp(-rate / 2 * times[i])) < 1e-12);
        }
    }

    [Fact]
    public void Qubit_Redfield_SpectrumAndEvolutionAgreeWithDavies_ForThisSecularCase()
    {
        // σx coupling of a qubit: the non-secular terms couple ρ01 to ρ10 only (fast-rotating), so T1 is close to Davies.
        var red = Spectrum.Compute(TestModels.Qubit(2.0, 1.0, 0, Davies.Models.SecularMode.None));
        var dav = Spectrum.Compute(TestModels.Qubit(2.0, 1.0, 0));
        Assert.Equal(SpectrumMethod.RedfieldDense, red.Method);
        Assert.True(Math.Abs(red.T1!.Value - dav.T1!.Value) < 1e-12 * dav.T1.Value, $"{red.T1} vs {dav.T1}");
        Assert.True(Math.Abs(red.T2!.Value - dav.T2!.Value) < 1e-2 * dav.T2.Value, $"{red.T2} vs {dav.T2}");
        Assert.Null(red.PopulationGap);
    }

    [Fact]
    public void DampedOscillator_MeanNumber_RelaxesAtKappa()
    {
        int n = 30;
        double omega = 1, beta = 1;
        var rates = new TestRates(beta, 0.05, 4, 0.02);
        var model = TestModels.Oscillator(n, omega, rates);
        double kappa = rates.Rate(omega) - rates.Rate(-omega), nBar = rates.Rate(-omega) / kappa;
        var a = TestModels.Annihilation(n);
        double n0 = 2;
        double[] times = [0, 1, 5, 20, 60];
        var res = Evolution.Run(model, Ket(n, 2), times, [new NamedOperator("n", a.ConjugateTranspose() * a)]);
        Assert.Equal(1 / (Math.Exp(beta * omega) - 1), nBar, 1e-12); // KMS
        for (int i = 0; i < times.Length; i++)
        {
            double expected = nBar + (n0 - nBar) * Math.Exp(-kappa * times[i]);
            Assert.True(Math.Abs(res.Expectations["n"][i] - expected) < 1e-9, $"t={times[i]}: {res.Expectations["n"][i]} vs {expected}");
        }
    }

    [Fact]
    public void DampedOscillator_Gap_ApproachesHalfKappa_AsTruncationGrows()
    {
        var rates = new TestRates(1.0, 0.05, 4, 0);
        double kappa = rates.Rate(1) - rates.Rate(-1);
        double previous = double.PositiveInfinity;
        foreach (int n in new[] { 5, 10, 20, 40 })
        {
            var spec = Spectrum.Compute(TestModels.Oscillator(n, 1.0, rates));
            double err = Math.Abs(spec.SpectralGap - kappa / 2);
            Assert.True(err < previous, $"N={n}: error {err} not below {previous}");
            previous = err;
            // the slowest mode is the coherence ⟨a⟩ (sector ν = ω), the population gap tends to κ
            Assert.Equal(1.0, Math.Abs(spec.SlowestModes[0].BohrFrequency), 10);
        }
        Assert.True(previous < 1e-9 * kappa, $"N=40: error {previous}");
    }

    /// <summary>The classical Glauber rate matrix on spin configurations, built directly (independent of the library).</summary>
    private static double ClassicalGlauberGap(int n, double j, double r, double beta)
    {
        int d = 1 << n;
        double Energy(int s)
        {
            double e = 0;
            for (int i = 0; i < n; i++) e -= j * Spin(s, i) * Spin(s, (i + 1) % n);
            return e;
        }
        int Spin(int s, int i) => ((s >> (n - 1 - i)) & 1) == 0 ? 1 : -1;
        var w = Matrix<double>.Build.Dense(d, d);
        for (int s = 0; s < d; s++)
            for (int i = 0; i < n; i++)
            {
                int t = s ^ (1 << (n - 1 - i));
                double rate = r / (1 + Math.Exp(beta * (Energy(t) - Energy(s)))); // G(ω), ω = E_s − E_t
                w[t, s] += rate;
                w[s, s] -= rate;
            }
        var ev = w.Evd().EigenValues.Select(z => -z.Real).Where(x => x > 1e-10).ToArray();
        return ev.Min();
    }

    public static TheoryData<int, double> IsingCases() => new()
    {
        { 3, 1.0 }, { 4, 1.0 }, { 5, 1.0 }, { 6, 1.0 }, { 3, 0.3 }, { 5, 0.3 }, { 6, 0.3 }, { 4, 2.5 },
    };

    [Theory]
    [MemberData(nameof(IsingCases))]
    public void KineticIsingRing_Gap_IsGlauberResult(int n, double beta)
    {
        double j = 0.5, r = 1.3, expected = r * (1 - Math.Tanh(2 * beta * j));
        Assert.Equal(expected, ClassicalGlauberGap(n, j, r, beta), 10);
        var spec = Spectrum.Compute(TestModels.IsingRing(n, j, new GlauberTestRates(r, beta)));
        Assert.Equal(expected, spec.SpectralGap, 10);
        Assert.Equal(expected, spec.PopulationGap!.Value, 10);
        // the global spin flip P = Π X_i commutes with H and every jump operator: ρ_β P is a second stationary state
        Assert.Equal(2, spec.KernelDimension);
    }

    /// <summary>The ring as a model file with the library's own <c>{type: glauber, rate}</c> bath.</summary>
    private static Davies.Models.OpenSystemModel IsingRingFile(int n, double j, double rate, double temperature, string type)
    {
        var terms = string.Join("\n", Enumerable.Range(0, n).Select(i => $"  - [{-j}, \"Z{i} Z{(i + 1) % n}\"]"));
        var couplings = string.Join(", ", Enumerable.Range(0, n).Select(i => $"X{i}"));
        string yaml = $"sites: [{string.Join(", ", Enumerable.Repeat(2, n))}]\nhamiltonian:\n{terms}\n" +
                      $"baths:\n  - {{name: b, temperature: {temperature}, spectrum: {{type: {type}, rate: {rate}}}, couplings: [{couplings}]}}\n" +
                      "options: {lamb_shift: true}\n";
        return Davies.Models.ModelFile.Parse(yaml, Davies.Models.ModelFileFormat.Yaml, "ring.yaml");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void KineticIsingRing_ModelFileGlauberBath_GivesTheGlauberGap(int n)
    {
        double j = 0.5, r = 1.3, temperature = 1.0, beta = 1 / temperature;
        double expected = r * (1 - Math.Tanh(2 * beta * j));
        var spec = Spectrum.Compute(IsingRingFile(n, j, r, temperature, "glauber"));
        Assert.Equal(expected, spec.SpectralGap, 10);
        Assert.Equal(expected, spec.PopulationGap!.Value, 10);
        Assert.Equal(1 / expected, spec.RelaxationTime, 8);
    }

    [Theory]
    [InlineData("metropolis", 0.8, 0.5)]
    [InlineData("glauber", 0.8, 0.5)]
    [InlineData("metropolis", 2.0, 0.0)]
    [InlineData("glauber", 2.0, 0.0)]
    public void Qubit_GibbsSamplerRates_T1FromTheirFormula_AndNoLambShift(string type, double rate, double temperature)
    {
        // H = (ω0/2)σz, σx coupling; lamb_shift: true is requested, but these rate types carry none
        double omega0 = 1.5, beta = temperature == 0 ? double.PositiveInfinity : 1 / temperature;
        string yaml = $"sites: [2]\nhamiltonian: [[{omega0 / 2}, Z0]]\nbaths:\n" +
                      $"  - {{name: b, temperature: {temperature}, spectrum: {{type: {type}, rate: {rate}}}, couplings: [X0]}}\n" +
                      "options: {lamb_shift: true}\n";
        var model = Davies.Models.ModelFile.Parse(yaml, Davies.Models.ModelFileFormat.Yaml, "qubit.yaml");
        double boltz = double.IsPositiveInfinity(beta) ? 0 : Math.Exp(-beta * omega0);
        // G(ω0) + G(−ω0) written out: Metropolis rate·(1 + e^{−βω0}); Glauber rate/(1 + e^{−βω0}) + rate/(1 + e^{βω0}) = rate
        double gamma = type == "metropolis" ? rate * (1 + boltz) : rate;
        var spec = Spectrum.Compute(model);
        Assert.Equal(1 / gamma, spec.T1!.Value, 12);
        Assert.Equal(2 / gamma, spec.T2!.Value, 12);
        Assert.Equal(gamma / 2, spec.SpectralGap, 12);
        var coherence = spec.SlowestModes.First(m => m.BohrFrequency > 0).Eigenvalue;
        Assert.Equal(-omega0, coherence.Imaginary, 13); // unshifted frequency: no Lamb shift
        var res = Evolution.Run(model, Ket(2, 0), [0, 1, 4], [new NamedOperator("Z", TestModels.Pauli('Z'))]);
        double zInf = -(1 - boltz) / (1 + boltz);
        for (int i = 0; i < 3; i++)
            Assert.Equal(zInf + (1 - zInf) * Math.Exp(-gamma * res.Times[i]), res.Expectations["Z"][i], 12);
    }

    [Fact]
    public void KineticIsingRing_N4_HighTemperature_CoherenceInsideDegenerateLevelIsSlower()
    {
        // Counterexample to "gap = r(1 − tanh 2βJ)" for the full Davies generator: for N = 4 the zero-energy flips
        // (G(0) = r/2) move domain walls coherently inside a degenerate level, giving a β-independent mode
        // r(2 − √2) that is slower than the Glauber magnetisation mode when tanh 2βJ < √2 − 1.
        double j = 0.5, r = 1.0, beta = 0.3;
        double glauber = r * (1 - Math.Tanh(2 * beta * j));
        Assert.Equal(glauber, ClassicalGlauberGap(4, j, r, beta), 10); // the classical (population) result still holds
        var spec = Spectrum.Compute(TestModels.IsingRing(4, j, new GlauberTestRates(r, beta)));
        Assert.Equal(r * (2 - Math.Sqrt(2)), spec.SpectralGap, 10);
        Assert.True(spec.SpectralGap < glauber);
        Assert.Equal(0.0, spec.SlowestModes[0].BohrFrequency); // it lives in the ν = 0 sector
    }
}

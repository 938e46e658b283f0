using Davies.LinearAlgebra;
using System.Globalization;
using Davies.Baths;
using Davies.Generators;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The validity report: may the Born–Markov–secular approximations be trusted for this model? Four criteria, each a
/// dimensionless number against a threshold (all thresholds are here; formulas, thresholds and sources in
/// docs/validity.md):
/// <list type="bullet">
/// <item><b>markov</b>: τ_B Γ_max ≤ 0.1, the largest bath correlation time against the fastest decay of the system
/// (van Hove / Born–Markov time-scale separation);</item>
/// <item><b>secular</b>: for every coupling α and every two neighbouring Bohr frequencies ω₁ &lt; ω₂ at which S_α(ω) ≠ 0,
/// ‖A_α‖²_max |Γ(ω₁) + Γ(ω₂)*| / (ω₂ − ω₁) ≤ 0.1 with Γ(ω) = ½G(ω) + iS(ω): the rate with which the Bloch–Redfield
/// tensor couples the two frequencies against their spacing;</item>
/// <item><b>weak_coupling</b>: max(Γ_max, ΔS) / min(ω_min, T_min) ≤ 0.1, the broadening and the spread ΔS of the level
/// shifts against the smallest driven Bohr frequency and the lowest non-zero bath temperature;</item>
/// <item><b>memory</b>: the number of baths whose C(t) is not integrable (sub-Ohmic at T &gt; 0) must be 0.</item>
/// </list>
/// Γ_max is the largest total decay rate out of an energy eigenstate, the largest eigenvalue of a level block of
/// K = Σ_b Σ_α Σ_ω G_b(ω) S_α(ω)†S_α(ω). Cost: O(L²) per coupling (L levels) on top of what the model holds, plus one
/// ∫|C| per distinct bath (cached).
/// </summary>
public static class Validity
{
    /// <summary>Largest τ_B Γ_max that passes: 0.1 (≪ 1 read as one order of magnitude).</summary>
    public const double MarkovThreshold = 0.1;

    /// <summary>Largest coupling rate / Bohr-frequency spacing that passes: 0.1.</summary>
    public const double SecularThreshold = 0.1;

    /// <summary>Largest max(Γ_max, ΔS)/min(ω_min, T) that passes: 0.1.</summary>
    public const double WeakCouplingThreshold = 0.1;

    /// <summary>Largest number of baths with non-integrable C(t) that passes: 0.</summary>
    public const double MemoryThreshold = 0;

    /// <summary>Level blocks up to this size are diagonalised exactly; larger ones are bounded by Gershgorin discs.</summary>
    private const int ExactBlock = 64;

    /// <summary>Evaluates the four criteria for a model in its eigenbasis.</summary>
    public static ValidityReport Evaluate(EnergyBasisModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var om = model.OpenSystem;
        var (gammaMax, gammaLevel, lambSpread) = LevelRates(model);
        var (secular, omegaMin) = SecularCriterion(model);

        // memory and τ_B per bath
        var memories = om.Baths.Select(b => BathCorrelations.Memory(b.Rates)).ToArray();
        var withC = Enumerable.Range(0, om.Baths.Count).Where(i => memories[i].HasCorrelationFunction).ToArray();
        var longMemory = withC.Where(i => !memories[i].Integrable).ToArray();
        var skipped = Enumerable.Range(0, om.Baths.Count).Where(i => !memories[i].HasCorrelationFunction).Select(i => $"'{om.Baths[i].Name}'").ToArray();
        string skippedNote = skipped.Length == 0 ? "" : $"; no microscopic C(t) for {string.Join(", ", skipped)} (phenomenological rates): not assessed";

        ValidityCriterion markov;
        double tauMax = double.NaN;
        if (withC.Length == 0)
        {
            markov = new ValidityCriterion("markov", double.NaN, MarkovThreshold, true,
                "no bath has a microscopic correlation function (metropolis/glauber rates): τ_B is undefined, not assessed", MarkovAdvice);
        }
        else
        {
            int worst = withC.MaxBy(i => memories[i].CorrelationTime);
            tauMax = memories[worst].CorrelationTime;
            double value = tauMax * gammaMax;
            if (double.IsNaN(value)) value = 0; // τ_B = ∞ with Γ_max = 0 cannot occur; Γ_max = 0 gives 0
            string detail = double.IsPositiveInfinity(tauMax)
                ? $"τ_B = ∞ for bath '{om.Baths[worst].Name}' (C(t) not integrable) × Γ_max = {F(gammaMax)}"
                : $"τ_B = {F(tauMax)} (bath '{om.Baths[worst].Name}') × Γ_max = {F(gammaMax)} (largest total decay rate, out of level {gammaLevel})";
            markov = new ValidityCriterion("markov", value, MarkovThreshold, value <= MarkovThreshold, detail + skippedNote, MarkovAdvice);
        }

        // weak coupling: against ω_min and the lowest positive temperature
        double tMin = om.Baths.Where(b => double.IsFinite(b.Beta)).Select(b => b.Temperature).DefaultIfEmpty(double.PositiveInfinity).Min();
        double scale = Math.Min(omegaMin, tMin);
        double strength = Math.Max(gammaMax, lambSpread);
        double weakValue = double.IsPositiveInfinity(scale) ? 0 : strength / scale;
        string against = (double.IsFinite(omegaMin) ? $"ω_min = {F(omegaMin)} (smallest driven Bohr frequency)" : "no driven Bohr frequency") +
                         (double.IsFinite(tMin) ? $", T = {F(tMin)}" : ", all baths at T = 0");
        var weak = new ValidityCriterion("weak_coupling", weakValue, WeakCouplingThreshold, weakValue <= WeakCouplingThreshold,
            $"max(Γ_max = {F(gammaMax)}, Lamb-shift spread {F(lambSpread)}) against {against}", WeakAdvice);

        string names = string.Join(", ", longMemory.Select(i => $"'{om.Baths[i].Name}' ({om.Baths[i].Rates.Description})"));
        var memory = new ValidityCriterion("memory", longMemory.Length, MemoryThreshold, longMemory.Length <= MemoryThreshold,
            longMemory.Length == 0
                ? (withC.Length == 0 ? "no bath has a microscopic C(t)" : "every bath has an integrable C(t)") + skippedNote
                : $"C(t) is not integrable (sub-Ohmic at T > 0, C ~ t^(−s)) for {names}" + skippedNote,
            MemoryAdvice);

        if (om.Options.Secular == SecularMode.None)
            secular = secular with
            {
                Ok = true,
                Detail = "Bloch–Redfield (secular: none) makes no secular approximation; for reference: " + secular.Detail,
            };
        return new ValidityReport(markov, secular, weak, memory, gammaMax, lambSpread, tauMax);
    }

    private const string MarkovAdvice = "the bath remembers longer than the system relaxes: use a smaller coupling or a bath with a shorter correlation time (larger cutoff)";
    private const string SecularAdvice = "rates comparable to the spacing of Bohr frequencies: compare with options.secular: none (Bloch–Redfield), or use a smaller coupling";
    private const string WeakAdvice = "rates or Lamb shifts comparable to the level spacing or the temperature: use a smaller coupling (eta, lambda, rate)";
    private const string MemoryAdvice = "the bath has long memory and the Markov approximation is not justified: use another bath (Ohmic or super-Ohmic, s ≥ 1) or a method with memory";

    /// <summary>Γ_max (and its level) from the level blocks of K, and the spread of the level shifts of H_LS.</summary>
    private static (double GammaMax, int Level, double LambSpread) LevelRates(EnergyBasisModel model)
    {
        var blocks = LevelBlocks.Of(model.Jumps);
        int L = model.Basis.Levels.Count, nb = blocks.K.Length;
        double gammaMax = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        int level = 0;
        for (int I = 0; I < L; I++)
        {
            double g, sMin, sMax;
            if (model.Basis.Levels[I].Count == 1)
            {
                g = 0;
                double s = 0;
                for (int b = 0; b < nb; b++)
                {
                    g += blocks.K[b][I][0, 0].Real;
                    s += blocks.Lamb[b][I][0, 0].Real;
                }
                sMin = sMax = s;
            }
            else
            {
                var k = blocks.K[0][I].Clone();
                var h = blocks.Lamb[0][I].Clone();
                for (int b = 1; b < nb; b++)
                {
                    k += blocks.K[b][I];
                    h += blocks.Lamb[b][I];
                }
                (_, g) = Range(k);
                (sMin, sMax) = Range(h);
            }
            if (g > gammaMax)
            {
                gammaMax = g;
                level = I;
            }
            lo = Math.Min(lo, sMin);
            hi = Math.Max(hi, sMax);
        }
        return (gammaMax, level, hi > lo ? hi - lo : 0);
    }

    /// <summary>Smallest and largest eigenvalue of a Hermitian block (exact up to 64, Gershgorin bounds beyond).</summary>
    private static (double Min, double Max) Range(Matrix<Complex> m)
    {
        var herm = 0.5 * (m + m.ConjugateTranspose());
        if (herm.RowCount <= ExactBlock)
        {
            var ev = herm.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real).ToArray();
            return (ev.Min(), ev.Max());
        }
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < herm.RowCount; i++)
        {
            double r = 0;
            for (int j = 0; j < herm.ColumnCount; j++) if (j != i) r += herm[i, j].Magnitude;
            min = Math.Min(min, herm[i, i].Real - r);
            max = Math.Max(max, herm[i, i].Real + r);
        }
        return (min, max);
    }

    /// <summary>
    /// The secular criterion and the smallest driven positive Bohr frequency. For each coupling the Bohr frequencies
    /// with a non-zero block are marked (ids ascend with the frequency), then neighbouring marked frequencies are
    /// compared: O(L²) per coupling.
    /// </summary>
    // Two secular ratios closer than this (relative) are a tie for the coupling the detail names.
    private const double TieRelative = 1e-9;

    private static (ValidityCriterion Criterion, double OmegaMin) SecularCriterion(EnergyBasisModel model)
    {
        var jumps = model.Jumps;
        var bohr = model.Bohr;
        var om = model.OpenSystem;
        int L = model.Basis.Levels.Count, P = bohr.PositiveCount;
        double worst = 0, omegaMin = double.PositiveInfinity;
        string detail = "no coupling connects two distinct Bohr frequencies";
        bool found = false;
        var marks = new bool[2 * P + 1];
        var couplingNames = om.Baths.SelectMany(b => b.CouplingLabels.Select(l => (Bath: b.Name, Label: l))).ToArray();
        for (int c = 0; c < jumps.Count; c++)
        {
            Array.Clear(marks);
            // Hermitian couplings: block (N, I) is non-zero iff (I, N) is, with the opposite frequency
            Parallel.For(0, L, DenseKernels.ParallelOver(L), to =>
            {
                for (int from = to; from < L; from++)
                {
                    if (!jumps.HasBlock(c, to, from)) continue;
                    int id = bohr.Id(to, from);
                    marks[P + id] = true;
                    marks[P - id] = true;
                }
            });
            int b = jumps.Bath(c);
            var g = jumps.RateTable(b);
            var s = jumps.LambTable(b);
            double weight = jumps.MaxBlockNorm2(c); // basis-independent inside degenerate levels
            int prev = -1;
            for (int k = 0; k < marks.Length; k++)
            {
                if (!marks[k]) continue;
                if (k > P) omegaMin = Math.Min(omegaMin, bohr.Value(k - P));
                if (prev >= 0)
                {
                    double w1 = bohr.Value(prev - P), w2 = bohr.Value(k - P);
                    double rate = weight * Complex.Abs(new Complex(0.5 * (g[prev] + g[k]), s[prev] - s[k]));
                    double ratio = rate / (w2 - w1);
                    if (ratio > worst || !found)
                    {
                        // A tie within rounding (mirror-image couplings of a symmetric chain) keeps the coupling named
                        // first, so the detail does not depend on the eigensolver's rounding.
                        bool tie = found && ratio <= worst * (1 + TieRelative);
                        found = true;
                        worst = ratio;
                        if (!tie)
                        {
                            var (bathName, label) = couplingNames[c];
                            detail = $"closest Bohr frequencies ω = {F(w1)} and {F(w2)} (spacing {F(w2 - w1)}) of coupling '{label}' " +
                                     $"(bath '{bathName}') are coupled at rate {F(rate)}";
                        }
                    }
                }
                prev = k;
            }
        }
        return (new ValidityCriterion("secular", worst, SecularThreshold, worst <= SecularThreshold, detail, SecularAdvice), omegaMin);
    }

    private static string F(double x) => double.IsPositiveInfinity(x) ? "∞" : x.ToString("G4", CultureInfo.InvariantCulture);
}

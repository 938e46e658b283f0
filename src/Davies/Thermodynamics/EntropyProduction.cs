using Davies.Models;
using Davies.Spectral;

namespace Davies.Thermodynamics;

/// <summary>
/// The entropy production rate of heat currents exchanged with thermal baths, σ = −Σ_k β_k J_k (J_k into the system;
/// σ ≥ 0 at a steady state by the second law). A bath at T = 0 contributes +∞ when heat flows into it and 0 when its
/// current vanishes to 1e-12 of the model's scale (spectral width × largest rate, <see cref="CurrentScale"/>).
/// </summary>
internal static class EntropyProduction
{
    /// <summary>σ = −Σ_k β_k J_k for the currents <paramref name="currents"/> (by bath name) of <paramref name="baths"/>.</summary>
    public static double Of(IReadOnlyList<Bath> baths, IReadOnlyDictionary<string, double> currents, double currentScale)
    {
        double sigma = 0;
        foreach (var bath in baths)
        {
            double j = currents[bath.Name];
            if (double.IsPositiveInfinity(bath.Beta))
            {
                if (Math.Abs(j) > 1e-12 * currentScale) sigma += j < 0 ? double.PositiveInfinity : double.NegativeInfinity;
            }
            else sigma -= bath.Beta * j;
        }
        return sigma;
    }

    /// <summary>
    /// The scale of a heat current in this model: the spectral width of H_S times the largest finite rate G_b(ω) at
    /// any Bohr frequency (never below <see cref="double.Epsilon"/>).
    /// </summary>
    public static double CurrentScale(EnergyBasisModel model)
    {
        var energies = model.Basis.Energies;
        double width = energies[^1] - energies[0];
        double g = 0;
        for (int b = 0; b < model.Jumps.BathCount; b++)
            foreach (int id in model.Bohr.AllIds())
            {
                double r = model.Jumps.Rate(b, id);
                if (double.IsFinite(r)) g = Math.Max(g, r);
            }
        return Math.Max(width * g, double.Epsilon);
    }
}

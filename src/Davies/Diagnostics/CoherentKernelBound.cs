using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// Whether a Bohr sector ν ≠ 0 can hold a kernel of the Davies generator (a stationary coherence, and with it a
/// conserved quantity outside the ν = 0 sector). On a sector, L = −i[H_S, ·] + D with D the dissipator and the Lamb
/// shift; −i[H_S, ·] is diagonal there with entries −i(E_m − E_n), |E_m − E_n| ≥ δ (the smallest spacing between the
/// eigenvalues of two different levels), so by Bauer–Fike every eigenvalue μ of L on the sector has |μ| ≥ δ − ‖D‖ and
/// a zero needs δ ≤ ‖D‖. With the pinching bound Σ_ω S(ω)†S(ω) ≤ ‖S‖² and the interpolation bound
/// ‖Φ‖ ≤ (‖Φ(𝟙)‖‖Φ†(𝟙)‖)^{1/2} for the jump part Φ,
/// ‖D‖ ≤ Σ_b Σ_α ‖S_α‖² (2 max_ω G_b(ω) + 2 max_ω |S_b(ω)|),
/// with ‖S_α‖ bounded by its largest absolute row sum in the site basis. When δ exceeds this bound (rates and Lamb
/// shifts small against the level spacings, which the secular approximation presumes) no ν ≠ 0 sector has a kernel,
/// and the conserved quantities found in the ν = 0 sector are all of them. Cost: one pass over the couplings' non-zeros.
/// </summary>
internal static class CoherentKernelBound
{
    /// <summary>(whether ν ≠ 0 kernels are excluded, the bound on ‖D‖, the smallest spacing δ between levels).</summary>
    public static (bool Excluded, double Bound, double Spacing) Check(EnergyBasisModel dm)
    {
        var basis = dm.Basis;
        double spacing = double.PositiveInfinity;
        for (int I = 0; I + 1 < basis.Levels.Count; I++)
        {
            var lo = basis.Levels[I];
            var hi = basis.Levels[I + 1];
            spacing = Math.Min(spacing, basis.Energies[hi.Start] - basis.Energies[lo.Start + lo.Count - 1]);
        }
        var model = dm.OpenSystem;
        double bound = 0;
        for (int b = 0; b < model.Baths.Count; b++)
        {
            double gMax = 0, sMax = 0;
            foreach (int id in dm.Bohr.AllIds())
            {
                double g = dm.Jumps.Rate(b, id), s = dm.Jumps.LambShift(b, id);
                if (double.IsFinite(g)) gMax = Math.Max(gMax, g);
                if (double.IsFinite(s)) sMax = Math.Max(sMax, Math.Abs(s));
            }
            foreach (var coupling in model.Baths[b].Couplings)
            {
                var rows = new double[coupling.RowCount];
                foreach (var (i, _, v) in coupling.EnumerateIndexed(Zeros.AllowSkip)) rows[i] += v.Magnitude;
                double norm = rows.DefaultIfEmpty(0).Max();
                bound += norm * norm * (2 * gMax + 2 * sMax);
            }
        }
        return (spacing > bound, bound, spacing);
    }
}

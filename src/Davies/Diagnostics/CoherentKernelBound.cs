using Davies.Generators;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// Whether a Bohr sector ν ≠ 0 can hold a kernel of the Davies generator (a stationary coherence, and with it a
/// conserved quantity outside the ν = 0 sector). On a sector, L = −i[H_S + H_LS, ·] + D with D the dissipator.
/// <list type="bullet">
/// <item>All baths at one temperature T &gt; 0 (KMS detailed balance): D is self-adjoint and ≤ 0 in the KMS inner
/// product, in which −i[H_S + H_LS, ·] is anti-self-adjoint (H_LS commutes with H_S). A zero eigenvalue with
/// eigenvector x then needs ⟨x, Dx⟩ = 0, so Dx = 0 and [H_S + H_LS, x] = 0: two eigenvalues of H_S + H_LS in different
/// levels of H_S must coincide. Excluded exactly when the shifted spectra of different levels are more than the
/// degeneracy tolerance apart (<see cref="CoherentKernelCheck.Spacing"/> is their smallest distance).</item>
/// <item>Otherwise a norm bound: −i[H_S, ·] is diagonal with entries −i(E_m − E_n), |E_m − E_n| ≥ δ (the smallest
/// distance between eigenvalues of different levels), so by Bauer–Fike a zero needs δ ≤ ‖D'‖ with D' = D − i[H_LS, ·];
/// with the pinching bound Σ_ω S(ω)†S(ω) ≤ ‖S‖² and ‖Φ‖ ≤ (‖Φ(𝟙)‖‖Φ†(𝟙)‖)^{1/2} for the jump part Φ,
/// ‖D'‖ ≤ Σ_b Σ_α ‖S_α‖² (2 max_ω G_b(ω) + 2 max_ω |S_b(ω)|), ‖S_α‖ bounded by its largest absolute row sum in the site
/// basis. Excluded when δ exceeds it.</item>
/// </list>
/// When the norm bound fails on a model with d ≤ <see cref="DenseCheckLimit"/>, every ν ≠ 0 sector is checked exactly
/// (its smallest singular value against 1e-10 of the generator's scale): method "sectors", definite either way. Beyond,
/// not excluded (and not checked further).
/// </summary>
internal static class CoherentKernelBound
{
    /// <summary>Largest relative KMS violation for the exact (one-temperature) criterion: 1e-10.</summary>
    internal const double KmsTolerance = 1e-10;

    /// <param name="dm">The model.</param>
    /// <param name="shiftedByLevel">The eigenvalues of H_S + H_LS per level when already known (else computed).</param>
    public static CoherentKernelCheck Check(EnergyBasisModel dm, double[][]? shiftedByLevel = null)
    {
        var basis = dm.Basis;
        var model = dm.OpenSystem;
        if (basis.Levels.Count == 1) return new CoherentKernelCheck(true, "kms", double.PositiveInfinity, 0);
        if (model.IsSingleTemperature && double.IsFinite(model.Baths[0].Beta) && GeneratorChecks.KmsViolation(dm) <= KmsTolerance)
        {
            var shifted = shiftedByLevel ?? new DaviesGenerator(dm).ShiftedEnergiesByLevel();
            var all = shifted.SelectMany((xs, level) => xs.Select(x => (x, level))).OrderBy(p => p.x).ToArray();
            double gap = double.PositiveInfinity;
            for (int i = 0; i + 1 < all.Length; i++)
                if (all[i].level != all[i + 1].level) gap = Math.Min(gap, all[i + 1].x - all[i].x);
            // also levels whose shifted eigenvalues interleave with another level's are caught by the sorted scan
            return new CoherentKernelCheck(gap > basis.Tolerance, "kms", gap, 0);
        }
        double spacing = double.PositiveInfinity;
        for (int I = 0; I + 1 < basis.Levels.Count; I++)
        {
            var lo = basis.Levels[I];
            var hi = basis.Levels[I + 1];
            spacing = Math.Min(spacing, basis.Energies[hi.Start] - basis.Energies[lo.Start + lo.Count - 1]);
        }
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
        if (spacing > bound || dm.Dimension > DenseCheckLimit) return new CoherentKernelCheck(spacing > bound, "norm-bound", spacing, bound);
        // Small models: every ν ≠ 0 sector's kernel from its singular values (σ ≤ 1e-10 of the generator's scale).
        var gen = new DaviesGenerator(dm);
        double scale = Math.Max(gen.DecayScale(), double.Epsilon);
        foreach (var sector in gen.Sectors)
        {
            if (sector.IsPopulationSector) continue;
            var m = gen.SectorMatrix(sector);
            var sv = m.RowCount <= 64 ? m.Svd(false).S.Select(z => z.Real).ToArray() : dm.Backend.Svd(m).S;
            double max = Math.Max(sv.Max(), scale);
            if (sv.Min() <= Solvers.GeneratorKernel.KernelRelativeTolerance * max) return new CoherentKernelCheck(false, "sectors", spacing, bound);
        }
        return new CoherentKernelCheck(true, "sectors", spacing, bound);
    }

    /// <summary>Up to this dimension a failed norm bound is settled by the singular values of every ν ≠ 0 sector.</summary>
    internal const int DenseCheckLimit = 128;
}

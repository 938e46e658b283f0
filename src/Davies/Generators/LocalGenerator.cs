using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The local master equation as a dense GKLS generator in the eigenbasis of H_S (column stacking):
/// L(ρ) = −i[H_S + H_LS, ρ] + Σ_b Σ_α Σ_ω G_b(ω) (s ρ s† − ½{s†s, ρ}), with the local jump operators s = s_α(ω) of
/// <see cref="LocalJumpOperators"/> and H_LS = Σ S_b(ω) s†s (with <c>lamb_shift</c>). Its jump operators are not level
/// blocks of H_S, so it has no Bohr-sector structure: the solvers treat it as one dense block, as Bloch–Redfield.
/// Memory d⁴ complex numbers per matrix: meant for d ≲ 64.
/// </summary>
internal static class LocalGenerator
{
    /// <summary>The whole generator, or with <paramref name="onlyBath"/> that bath's dissipator alone (its Lamb shift included).</summary>
    public static Matrix<Complex> Dense(EnergyBasisModel model, int? onlyBath = null)
    {
        var local = LocalJumpOperators.Of(model);
        var basis = model.Basis;
        int d = basis.Dimension;
        Solvers.MemoryBudget.Require(16.0 * d * d * d * d * 3, $"the dense local generator ({d * (long)d}×{d * (long)d}, approach: local)");
        var v = basis.Vectors;
        var vh = v.ConjugateTranspose();
        var h = Matrix<Complex>.Build.Dense(d, d);
        if (onlyBath is null)
            for (int i = 0; i < d; i++) h[i, i] = basis.Energies[i];
        var l = Matrix<Complex>.Build.Dense(d * d, d * d);
        foreach (var j in local.Jumps)
        {
            if (onlyBath is { } ob && j.Bath != ob) continue;
            var s = vh * j.Operator * v; // in the eigenbasis
            var sts = s.ConjugateTranspose() * s;
            if (j.LambShift != 0) h += j.LambShift * sts;
            if (j.Rate == 0) continue;
            l += j.Rate * (Vectorization.Sandwich(s, s.ConjugateTranspose()) - 0.5 * Vectorization.Left(sts) - 0.5 * Vectorization.Right(sts));
        }
        l += -Complex.ImaginaryOne * (Vectorization.Left(h) - Vectorization.Right(h));
        return l;
    }

    /// <summary>H_S + H_LS (local Lamb shift) in the eigenbasis of H_S.</summary>
    public static Matrix<Complex> ShiftedHamiltonian(EnergyBasisModel model)
    {
        var basis = model.Basis;
        int d = basis.Dimension;
        var v = basis.Vectors;
        var h = Matrix<Complex>.Build.Dense(d, d);
        for (int i = 0; i < d; i++) h[i, i] = basis.Energies[i];
        foreach (var j in LocalJumpOperators.Of(model).Jumps)
            if (j.LambShift != 0)
            {
                var s = v.ConjugateTranspose() * j.Operator * v;
                h += j.LambShift * (s.ConjugateTranspose() * s);
            }
        return h;
    }
}

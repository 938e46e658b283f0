using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// Dense d²×d² superoperator matrices (column-stacking convention, <see cref="Vectorization"/>). Used for
/// Bloch–Redfield, which does not decompose into Bohr sectors, and as an independent reference for the
/// structured Davies solver in tests. Memory grows as d⁴: meant for d ≲ 64.
/// </summary>
public static class DenseLiouvillian
{
    /// <summary>
    /// The Davies generator assembled in the site basis from explicit jump operators
    /// S_α(ω) = V (mask_ω ∘ A_α) V† and Kronecker products: an independent construction of the same generator
    /// that <see cref="DaviesGenerator"/> holds sector by sector.
    /// </summary>
    public static Matrix<Complex> Davies(EnergyBasisModel model)
    {
        var basis = model.Basis;
        int d = basis.Dimension, L = basis.Levels.Count;
        var v = basis.Vectors;
        var vh = v.ConjugateTranspose();
        var h = model.OpenSystem.Hamiltonian.Clone();
        var id = Matrix<Complex>.Build.DenseIdentity(d);
        var diss = Matrix<Complex>.Build.Dense(d * d, d * d);
        foreach (int w in model.Bohr.AllIds())
        {
            for (int c = 0; c < model.Jumps.Count; c++)
            {
                var a = model.Jumps.Coupling(c);
                var mask = Matrix<Complex>.Build.Dense(d, d);
                bool any = false;
                for (int n = 0; n < d; n++)
                    for (int m = 0; m < d; m++)
                        if (model.Bohr.Id(basis.LevelOf(n), basis.LevelOf(m)) == w && a[n, m] != Complex.Zero)
                        {
                            mask[n, m] = a[n, m];
                            any = true;
                        }
                if (!any) continue;
                int b = model.Jumps.Bath(c);
                double g = model.Jumps.Rate(b, w), s = model.Jumps.LambShift(b, w);
                var sw = v * mask * vh;            // S_α(ω) in the site basis
                var sds = sw.ConjugateTranspose() * sw;
                if (s != 0) h += s * sds;          // Lamb shift
                if (g != 0)
                    diss += g * (Vectorization.Sandwich(sw, sw.ConjugateTranspose())
                                 - 0.5 * Vectorization.Left(sds) - 0.5 * Vectorization.Right(sds));
            }
        }
        return -Complex.ImaginaryOne * (Vectorization.Left(h) - Vectorization.Right(h)) + diss;
    }

    /// <summary>
    /// The Bloch–Redfield generator in the <b>eigenbasis</b> of H_S:
    /// L(ρ) = −i[H_S, ρ] + Σ_α (Λ_α ρ A_α − A_α Λ_α ρ + A_α ρ Λ_α† − ρ Λ_α† A_α), Λ_α[n, m] = Γ(Ē_m − Ē_n) A_α[n, m],
    /// with the one-sided transform Γ(ω) = ½G(ω) + iS(ω) (only ½G without Lamb shift, as QuTiP's Bloch–Redfield
    /// tensor). Its secular part is exactly the Davies generator.
    /// </summary>
    /// <param name="model">The decomposed model.</param>
    /// <param name="onlyBath">When given, only that bath's dissipator (no Hamiltonian part): used for heat currents.</param>
    public static Matrix<Complex> RedfieldEigenbasis(EnergyBasisModel model, int? onlyBath = null)
    {
        var basis = model.Basis;
        int d = basis.Dimension;
        Solvers.MemoryBudget.Require(16.0 * d * d * d * d * 3, $"the dense Bloch–Redfield generator ({d * (long)d}×{d * (long)d}, secular: none)");
        var hd = Matrix<Complex>.Build.Dense(d, d);
        if (onlyBath is null)
            for (int i = 0; i < d; i++) hd[i, i] = basis.Energies[i];
        var l = -Complex.ImaginaryOne * (Vectorization.Left(hd) - Vectorization.Right(hd));
        for (int c = 0; c < model.Jumps.Count; c++)
        {
            int b = model.Jumps.Bath(c);
            if (onlyBath is { } ob && b != ob) continue;
            var a = model.Jumps.Coupling(c);
            var lam = Matrix<Complex>.Build.Dense(d, d);
            for (int n = 0; n < d; n++)
                for (int m = 0; m < d; m++)
                {
                    if (a[n, m] == Complex.Zero) continue;
                    int w = model.Bohr.Id(basis.LevelOf(n), basis.LevelOf(m));
                    lam[n, m] = new Complex(0.5 * model.Jumps.Rate(b, w), model.Jumps.LambShift(b, w)) * a[n, m];
                }
            var lamH = lam.ConjugateTranspose();
            l += Vectorization.Sandwich(lam, a) - Vectorization.Left(a * lam)
               + Vectorization.Sandwich(a, lamH) - Vectorization.Right(lamH * a);
        }
        return l;
    }

    /// <summary>Transforms a site-basis superoperator to the eigenbasis: (V ⊗ V)… in column stacking, U = conj(V) ⊗ V.</summary>
    public static Matrix<Complex> ToEigenbasis(Matrix<Complex> superop, EigenBasis basis)
    {
        var u = basis.Vectors.Conjugate().KroneckerProduct(basis.Vectors); // vec(VXV†) = (conj V ⊗ V) vec X
        return u.ConjugateTranspose() * superop * u;
    }
}

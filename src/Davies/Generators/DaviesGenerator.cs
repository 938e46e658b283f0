using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The Davies (partial-secular) generator in GKLS form,
/// L(ρ) = −i[H_S + H_LS, ρ] + Σ_b Σ_α Σ_ω G_b(ω) (S_α(ω) ρ S_α(ω)† − ½{S_α(ω)†S_α(ω), ρ}),
/// with S_α(ω) = Σ_{Ē_m−Ē_n=ω} Π_n S_α Π_m and H_LS = Σ_b Σ_α Σ_ω S_b(ω) S_α(ω)†S_α(ω), held in the eigenbasis
/// sector by sector: it maps a coherence between levels with Bohr frequency ν only onto coherences with the same ν.
/// Nothing d²×d² is ever formed. The per-level blocks of K_b = Σ_α Σ_ω G_b(ω) S_α(ω)†S_α(ω) and of H_LS,b are
/// computed once.
/// </summary>
public sealed partial class DaviesGenerator
{

    /// <summary>Builds the generator of a decomposed model (the per-level blocks are formed on first use).</summary>
    public DaviesGenerator(EnergyBasisModel model)
    {
        Model = model;
        PopulationSpace = new PopulationSectorSpace(model.Basis);
    }

    /// <summary>The model in its energy eigenbasis.</summary>
    public EnergyBasisModel Model { get; }

    /// <summary>The ν = 0 sector.</summary>
    internal PopulationSectorSpace PopulationSpace { get; }

    private EigenBasis Basis => Model.Basis;

    private JumpOperators Jumps => Model.Jumps;

    // K_{b,I} and H_LS,{b,I}, [bath][level], shared by every generator of the same jump operators; looked up once per
    // generator, since the inner loops below read them per entry.
    private LevelBlocks Blocks => _blocks ??= LevelBlocks.Of(Model.Jumps);

    private LevelBlocks? _blocks;

    /// <summary>The largest total decay rate max_I ‖Σ_b K_b,I‖_F (a scale of the dissipator).</summary>
    internal double DecayScale() => Blocks.DecayScale();

    /// <summary>The largest Lamb shift Σ_b ‖H_LS,b,I‖_F over the levels I (0 without Lamb shift).</summary>
    internal double LambScale() => Blocks.LambScale();

    /// <summary>
    /// The generator restricted to the ν = 0 sector, as an n₀×n₀ matrix in <see cref="PopulationSpace"/> coordinates.
    /// <paramref name="baths"/> selects the baths whose dissipators are included (all when null);
    /// <paramref name="includeHamiltonian"/> adds −i[H_S + H_LS, ·] (H_LS of the selected baths).
    /// </summary>
    internal Matrix<Complex> PopulationSectorMatrix(IReadOnlyCollection<int>? baths = null, bool includeHamiltonian = true)
    {
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count, n0 = PopulationSpace.Dimension;
        var m = Matrix<Complex>.Build.Dense(n0, n0);
        bool Use(int b) => baths is null || baths.Contains(b);

        // jump terms: G(ω(I,J)) A_{IJ} ρ_J A_{IJ}†, entry [(i,i') ← (j,j')] = G A[i,j] conj(A[i',j'])
        for (int c = 0; c < Jumps.Count; c++)
        {
            if (!Use(Jumps.Bath(c))) continue;
            var a = Jumps.Matrix(c);
            foreach (var (_, _, I, J, _, _, g, _) in Jumps.Blocks(c))
                {
                    if (g == 0) continue;
                    var li = levels[I];
                    var lj = levels[J];
                    for (int i2 = 0; i2 < li.Count; i2++)
                        for (int i = 0; i < li.Count; i++)
                        {
                            int row = PopulationSpace.Index(I, i, i2);
                            for (int j2 = 0; j2 < lj.Count; j2++)
                                for (int j = 0; j < lj.Count; j++)
                                {
                                    var v = a[li.Start + i + (lj.Start + j) * d] * Complex.Conjugate(a[li.Start + i2 + (lj.Start + j2) * d]);
                                    m[row, PopulationSpace.Index(J, j, j2)] += g * v;
                                }
                        }
                }
        }

        // −½{K, ρ} − i[H, ρ] = −(½K + iH) ρ − ρ (½K − iH) within each level block
        for (int I = 0; I < L; I++)
        {
            var l = levels[I];
            int dI = l.Count;
            var left = Matrix<Complex>.Build.Dense(dI, dI);
            var right = Matrix<Complex>.Build.Dense(dI, dI);
            for (int b = 0; b < Blocks.K.Length; b++)
            {
                if (!Use(b)) continue;
                left += 0.5 * Blocks.K[b][I];
                right += 0.5 * Blocks.K[b][I];
                if (includeHamiltonian)
                {
                    left += Complex.ImaginaryOne * Blocks.Lamb[b][I];
                    right -= Complex.ImaginaryOne * Blocks.Lamb[b][I];
                }
            }
            if (includeHamiltonian)
                for (int i = 0; i < dI; i++)
                {
                    left[i, i] += Complex.ImaginaryOne * Basis.Energies[l.Start + i];
                    right[i, i] -= Complex.ImaginaryOne * Basis.Energies[l.Start + i];
                }
            for (int i2 = 0; i2 < dI; i2++)
                for (int i = 0; i < dI; i++)
                {
                    int row = PopulationSpace.Index(I, i, i2);
                    for (int j = 0; j < dI; j++)
                    {
                        m[row, PopulationSpace.Index(I, j, i2)] -= left[i, j];
                        m[row, PopulationSpace.Index(I, i, j)] -= right[j, i2];
                    }
                }
        }
        return m;
    }

    /// <summary>
    /// From this ν = 0 dimension on a degenerate H_S is handled block by block (<see cref="SectorComponents"/>): the
    /// steady state, the matrix-free <see cref="ApplyPopulationSector"/>. Below it the dense sector matrix is used.
    /// </summary>
    internal const int StructuredPopulationSectorMinimum = 256;

    private SectorComponents? _sector0Structure;

    /// <summary>
    /// L(x) for a ν = 0 operator in <see cref="PopulationSpace"/> coordinates, applied block by block without forming the
    /// n₀×n₀ matrix (O(Σ_IJ d_I² d_J²) per coupling; O(d²) per coupling for a non-degenerate H_S).
    /// </summary>
    internal Vector<Complex> ApplyPopulationSector(Vector<Complex> x)
    {
        if (!Basis.IsNonDegenerate && PopulationSpace.Dimension > StructuredPopulationSectorMinimum)
        {
            // Large degenerate levels: row by row from the couplings' non-zeros (O(Σ nnz) for a permuted site basis).
            var structure = LazyInitializer.EnsureInitialized(ref _sector0Structure, () => SectorComponents.Structure(this, sector0: true));
            var xs = x.AsArray() ?? x.ToArray();
            var ys = new Complex[PopulationSpace.Dimension];
            structure.Apply(xs, ys);
            return Vector<Complex>.Build.Dense(ys);
        }
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count;
        var y = Vector<Complex>.Build.Dense(PopulationSpace.Dimension);
        if (Basis.IsNonDegenerate) AddJumpsNonDegenerate(x, y);
        else for (int c = 0; c < Jumps.Count; c++)
        {
            var a = Jumps.Matrix(c);
            for (int I = 0; I < L; I++)
            {
                var li = levels[I];
                foreach (var (_, _, _, J, _, _, g, _) in Jumps.BlocksInto(c, I))
                {
                    if (g == 0) continue;
                    var lj = levels[J];
                    for (int i2 = 0; i2 < li.Count; i2++)
                        for (int i = 0; i < li.Count; i++)
                        {
                            Complex acc = 0;
                            for (int j2 = 0; j2 < lj.Count; j2++)
                                for (int j = 0; j < lj.Count; j++)
                                    acc += a[li.Start + i + (lj.Start + j) * d] * x[PopulationSpace.Index(J, j, j2)]
                                           * Complex.Conjugate(a[li.Start + i2 + (lj.Start + j2) * d]);
                            y[PopulationSpace.Index(I, i, i2)] += g * acc;
                        }
                }
            }
        }
        for (int I = 0; I < L; I++)
        {
            var l = levels[I];
            int dI = l.Count;
            for (int i2 = 0; i2 < dI; i2++)
                for (int i = 0; i < dI; i++)
                {
                    Complex acc = 0;
                    for (int j = 0; j < dI; j++)
                    {
                        Complex kij = 0, kj2 = 0, hij = 0, hj2 = 0;
                        for (int b = 0; b < Blocks.K.Length; b++)
                        {
                            kij += Blocks.K[b][I][i, j];
                            kj2 += Blocks.K[b][I][j, i2];
                            hij += Blocks.Lamb[b][I][i, j];
                            hj2 += Blocks.Lamb[b][I][j, i2];
                        }
                        if (i == j) hij += Basis.Energies[l.Start + i];
                        if (j == i2) hj2 += Basis.Energies[l.Start + j];
                        acc -= (0.5 * kij + Complex.ImaginaryOne * hij) * x[PopulationSpace.Index(I, j, i2)];
                        acc -= x[PopulationSpace.Index(I, i, j)] * (0.5 * kj2 - Complex.ImaginaryOne * hj2);
                    }
                    y[PopulationSpace.Index(I, i, i2)] += acc;
                }
        }
        return y;
    }

    // The jump terms of ApplyPopulationSector for a non-degenerate H_S (every level 1 × 1): the same sums in the same order
    // as the block loop (couplings, then target level, then source level; g |a|² x term by term), read from the arrays.
    private void AddJumpsNonDegenerate(Vector<Complex> x, Vector<Complex> y)
    {
        int d = Basis.Dimension;
        var xs = x.AsArray() ?? x.ToArray();
        var ys = y.AsArray()!;
        for (int c = 0; c < Jumps.Count; c++)
        {
            var a = Jumps.Matrix(c);
            int b = Jumps.Bath(c);
            for (int I = 0; I < d; I++)
            {
                int yi = PopulationSpace.Index(I, 0, 0);
                for (int J = 0; J < d; J++)
                {
                    if (!Jumps.HasBlock(c, I, J)) continue;
                    double g = Jumps.Rate(b, Jumps.Bohr.Id(I, J));
                    if (g == 0) continue;
                    var z = a[I + (long)J * d];
                    ys[yi] += g * (z * xs[PopulationSpace.Index(J, 0, 0)] * Complex.Conjugate(z));
                }
            }
        }
    }

    /// <summary>
    /// The classical Pauli rate matrix W (d×d, real) for a non-degenerate H_S: dp/dt = W p, with
    /// W[n, m] = Σ_α G(E_m − E_n) |⟨n|S_α|m⟩|² for n ≠ m and columns summing to zero.
    /// </summary>
    public Matrix<double> PauliMatrix(IReadOnlyCollection<int>? baths = null) =>
        baths is null ? PauliRateMatrix.Shared(Jumps).Clone() : PauliRateMatrix.Build(Jumps, baths);

    /// <summary>
    /// The Pauli matrix of all baths, built once per decomposed model and shared by the steady state and the spectrum
    /// (read-only: callers must not modify it).
    /// </summary>
    internal Matrix<double> SharedPauliMatrix() => PauliRateMatrix.Shared(Jumps);

    /// <summary>The heat currents of all baths (<see cref="HeatCurrent"/>), indexed by bath.</summary>
    internal double[] HeatCurrents(Vector<Complex> x) => Thermodynamics.HeatCurrents.All(this, x);

    /// <summary>
    /// Σ_I Ē_I Tr[(D_b ρ)_I] for a ν = 0 state given in sector coordinates: the heat current J_b = Tr[H_S D_b(ρ)]
    /// into the system from bath <paramref name="bath"/> (the Lamb-shift part commutes with H_S and drops out).
    /// </summary>
    internal double HeatCurrent(int bath, Vector<Complex> x) => Thermodynamics.HeatCurrents.Of(this, bath, x);
}

using System.Runtime.CompilerServices;
using Davies.Models;
using Davies.Operators;

namespace Davies.Spectral;

/// <summary>
/// One jump operator of the local master equation: s_α(ω) of coupling α (bath b) built from the eigen-decomposition of
/// the coupling's local Hamiltonian, embedded in the whole space (site basis), with the rate G_b(ω) and Lamb shift
/// S_b(ω) of its bath. ω &gt; 0 lowers the local energy.
/// </summary>
internal sealed record LocalJump(int Bath, int Coupling, double Frequency, Matrix<Complex> Operator, double Rate, double LambShift);

/// <summary>
/// The jump operators of the <b>local</b> master equation (<c>options.approach: local</c>; Levy &amp; Kosloff, EPL 107,
/// 20004 (2014); Hofer et al., NJP 19, 123037 (2017)): for each coupling S_α, its support A (the sites it acts on), the
/// local Hamiltonian H_A = the sum of the Hamiltonian's terms whose sites all lie in A, and
/// s_α(ω) = Σ_{ε_I − ε_N = ω} Π_N S_α Π_I over the eigenprojectors of H_A (grouped with the model's tolerance, negligible
/// blocks dropped as for the global jump operators). The coherent part stays the whole H_S (plus the local Lamb shift
/// Σ S(ω) s†s). These operators are not level blocks of H_S, so the local generator has no Bohr-sector structure: it is
/// solved as a dense GKLS generator (<see cref="Generators.LocalGenerator"/>).
/// </summary>
internal sealed class LocalJumpOperators
{
    private static readonly ConditionalWeakTable<EnergyBasisModel, Lazy<LocalJumpOperators>> Cache = new();

    private LocalJumpOperators(IReadOnlyList<LocalJump> jumps, IReadOnlyList<int[]> supports, IReadOnlyList<string> notes)
    {
        Jumps = jumps;
        Supports = supports;
        Notes = notes;
    }

    /// <summary>All local jump operators with non-zero rate or Lamb shift, by coupling then frequency.</summary>
    public IReadOnlyList<LocalJump> Jumps { get; }

    /// <summary>The support (sites, ascending) of each coupling, over all baths in order.</summary>
    public IReadOnlyList<int[]> Supports { get; }

    /// <summary>Remarks for the user (a coupling that acts on every site: for it local = global).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The local jump operators of a model (built once per decomposed model).</summary>
    public static LocalJumpOperators Of(EnergyBasisModel model) =>
        Cache.GetValue(model, m => new Lazy<LocalJumpOperators>(() => Build(m.OpenSystem, m.Basis.Tolerance))).Value;

    /// <summary>Builds the local jump operators; <paramref name="tolerance"/> groups local levels and frequencies (absolute).</summary>
    public static LocalJumpOperators Build(OpenSystemModel model, double tolerance)
    {
        var terms = model.HamiltonianTerms
            ?? throw new ModelException("options.approach: local needs the hamiltonian as a list of terms (e.g. [[0.5, \"Z0\"], [0.1, \"X0 X1\"]]): a {matrix: …} hamiltonian cannot be split into the local Hamiltonians of the couplings");
        var space = model.Space;
        var termSupports = terms.Select(t => OperatorSupport.Support(t, space)).ToArray();
        var jumps = new List<LocalJump>();
        var supports = new List<int[]>();
        var notes = new List<string>();
        int coupling = 0;
        for (int b = 0; b < model.Baths.Count; b++)
        {
            var bath = model.Baths[b];
            for (int a = 0; a < bath.Couplings.Count; a++, coupling++)
            {
                var s = bath.Couplings[a];
                var support = OperatorSupport.Support(s, space);
                supports.Add(support);
                if (support.Length == space.SiteCount && space.SiteCount > 0)
                    notes.Add($"baths[{b}] ('{bath.Name}') coupling {bath.CouplingLabels[a]} acts on every site: its local Hamiltonian is H_S, so for it the local jump operators are the global ones");
                var local = Matrix<Complex>.Build.Dense(OperatorSupport.DimensionOf(support, space), OperatorSupport.DimensionOf(support, space));
                for (int t = 0; t < terms.Count; t++)
                    if (termSupports[t].All(support.Contains)) local += OperatorSupport.Restrict(terms[t], support, space);
                AddJumps(jumps, b, coupling, bath, OperatorSupport.Restrict(s, support, space), local, support, space, tolerance, model.Options.LambShift);
            }
        }
        return new LocalJumpOperators(jumps, supports, notes);
    }

    // s(ω) in the local eigenbasis: the blocks Π_N s Π_I grouped by ω = ε_I − ε_N, back to the local site basis, embedded.
    private static void AddJumps(List<LocalJump> jumps, int bath, int coupling, Bath b, Matrix<Complex> s, Matrix<Complex> h,
        int[] support, Spaces.HilbertSpace space, double tolerance, bool lambShift)
    {
        var basis = EigenBasis.Compute(0.5 * (h + h.ConjugateTranspose()), tolerance, LinearAlgebra.ManagedBackend.Instance);
        var bohr = new BohrFrequencies(basis);
        var v = basis.Vectors;
        var a = v.ConjugateTranspose() * s * v;
        double max = 0;
        foreach (var z in a.Enumerate()) max = Math.Max(max, z.Magnitude);
        if (max == 0) return;
        var levels = basis.Levels;
        var byId = new SortedDictionary<int, Matrix<Complex>>();
        for (int N = 0; N < levels.Count; N++)
            for (int I = 0; I < levels.Count; I++)
            {
                var ln = levels[N];
                var li = levels[I];
                var block = a.SubMatrix(ln.Start, ln.Count, li.Start, li.Count);
                if (block.FrobeniusNorm() < EnergyBasisModel.NegligibleRelative * max) continue;
                int id = bohr.Id(N, I); // ω = ε_I − ε_N
                if (!byId.TryGetValue(id, out var m)) byId[id] = m = Matrix<Complex>.Build.Dense(a.RowCount, a.ColumnCount);
                m.SetSubMatrix(ln.Start, li.Start, block);
            }
        foreach (var (id, m) in byId)
        {
            double omega = bohr.Value(id);
            double g = b.Rates.Rate(omega), shift = lambShift ? b.Rates.LambShift(omega) : 0;
            if (g == 0 && shift == 0) continue;
            var op = OperatorSupport.Embed(v * m * v.ConjugateTranspose(), support, space);
            jumps.Add(new LocalJump(bath, coupling, omega, op, g, shift));
        }
    }
}

/// <summary>What the local master equation (<c>options.approach: local</c>) has to say about a model.</summary>
public static class LocalApproach
{
    /// <summary>
    /// Remarks on the local jump operators of <paramref name="model"/> (e.g. a coupling acting on every site, for which
    /// local = global); empty for the global approach.
    /// </summary>
    public static IReadOnlyList<string> Notes(EnergyBasisModel model) =>
        model.OpenSystem.Options.Approach == MasterEquationApproach.Local ? LocalJumpOperators.Of(model).Notes : [];
}

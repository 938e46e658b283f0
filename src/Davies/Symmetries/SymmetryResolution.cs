using Davies.Models;
using Davies.Spaces;

namespace Davies.Symmetries;

/// <summary>
/// Which symmetries H_S is diagonalised with: the ones a model declares (<see cref="OpenSystemModel.Symmetries"/>,
/// each verified, a <see cref="ModelException"/> naming <c>symmetries[i]</c> when H_S does not commute with it), or,
/// when it declares none, those detected among <see cref="SymmetryKind"/> (for d ≥ <see cref="AutomaticMinimumDimension"/>).
/// A symmetry is present when every entry of [H_S, g] is at most <see cref="RelativeTolerance"/> × max|H_ij|. Of the
/// detected ones a commuting set is kept, in the order u1, translation, flip, parity, reflection (largest reduction
/// first): the flip does not commute with u1, the translation not with the reflection, and the parity is a function of
/// u1; a symmetry that does not commute with those already kept is left out.
/// </summary>
internal static class SymmetryResolution
{
    /// <summary>Relative tolerance of the commutator check: 1e-10 × the largest |H_ij| (as the Hermiticity check).</summary>
    internal const double RelativeTolerance = 1e-10;

    /// <summary>
    /// Symmetries are detected automatically from this dimension on: below it the detection costs about what the blocks
    /// save; from d = 32 on the blocks were faster as a whole process (docs/symmetries.md).
    /// </summary>
    internal const int AutomaticMinimumDimension = 32;

    private static readonly SymmetryKind[] Priority =
        [SymmetryKind.U1, SymmetryKind.Translation, SymmetryKind.Flip, SymmetryKind.Parity, SymmetryKind.Reflection];

    /// <summary>The symmetries to use for <paramref name="model"/> (empty: diagonalise H_S as one matrix).</summary>
    public static IReadOnlyList<SiteSymmetry> For(OpenSystemModel model, int automaticMinimum = AutomaticMinimumDimension)
    {
        if (model.Symmetries is { } declared) return Verify(declared, model.Hamiltonian, model.Space, model.SourceName);
        if (model.Dimension < automaticMinimum) return [];
        return Detect(model.Hamiltonian, model.Space);
    }

    /// <summary>The commuting set of symmetries of <paramref name="h"/> detected among all kinds (see the class summary).</summary>
    public static IReadOnlyList<SiteSymmetry> Detect(Matrix<Complex> h, HilbertSpace space)
    {
        double tol = RelativeTolerance * OpenSystemModel.LargestMagnitude(h);
        var kept = new List<SiteSymmetry>();
        foreach (var kind in Priority)
        {
            if (kind == SymmetryKind.Parity && kept.Any(k => k.Kind == SymmetryKind.U1)) continue; // a function of u1
            foreach (var g in Candidates(kind, space))
            {
                if (!kept.All(k => k.CommutesWith(g))) continue;
                if (g.CommutatorDefect(h) > tol) continue;
                kept.Add(g);
                break;
            }
        }
        return kept;
    }

    /// <summary>
    /// The declared symmetries, each verified against <paramref name="h"/>: a <see cref="ModelException"/> names
    /// <c>symmetries[i]</c> when it does not exist on the space, when H_S does not commute with it, or when it does not
    /// commute with an earlier one.
    /// </summary>
    /// <param name="declared">The declared symmetries.</param>
    /// <param name="h">H_S.</param>
    /// <param name="space">The space of the sites.</param>
    /// <param name="source">The model's source, for messages.</param>
    /// <param name="fail">Makes the exception for a problem with symmetries[i] (the model-file reader adds the line).</param>
    public static IReadOnlyList<SiteSymmetry> Verify(IReadOnlyList<SymmetryKind> declared, Matrix<Complex> h, HilbertSpace space,
        string? source = null, Func<int, string, Exception>? fail = null)
    {
        string prefix = source is null ? "" : source + ": ";
        fail ??= (i, problem) => new ModelException($"{prefix}symmetries[{i}] ('{declared[i].ToWireName()}'): {problem}");
        double scale = OpenSystemModel.LargestMagnitude(h), tol = RelativeTolerance * scale;
        var kept = new List<SiteSymmetry>();
        for (int i = 0; i < declared.Count; i++)
        {
            var kind = declared[i];
            for (int j = 0; j < i; j++)
                if (declared[j] == kind) throw fail(i, $"'{kind.ToWireName()}' is declared twice (also symmetries[{j}])");
            var candidates = Candidates(kind, space, out string? reason).ToList();
            if (candidates.Count == 0) throw fail(i, reason!);
            SiteSymmetry? found = null;
            double best = double.PositiveInfinity;
            foreach (var g in candidates)
            {
                double defect = g.CommutatorDefect(h);
                best = Math.Min(best, defect);
                if (defect <= tol)
                {
                    found = g;
                    break;
                }
            }
            if (found is null)
                throw fail(i, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"the Hamiltonian does not commute with {candidates[0].Description}: the largest entry of [H, g] is {best:G3} (allowed: {RelativeTolerance:G1} × max|H_ij| = {tol:G3})"));
            for (int j = 0; j < kept.Count; j++)
                if (!kept[j].CommutesWith(found))
                    throw fail(i, $"{found.Description} does not commute with symmetries[{j}] ('{kept[j].Kind.ToWireName()}'); Davies diagonalises with commuting symmetries only: declare one of them");
            if (kind == SymmetryKind.Parity && kept.Any(k => k.Kind == SymmetryKind.U1)
                || kind == SymmetryKind.U1 && kept.Any(k => k.Kind == SymmetryKind.Parity))
                throw fail(i, "the parity is a function of u1: declare u1 alone");
            kept.Add(found);
        }
        return kept;
    }

    private static IEnumerable<SiteSymmetry> Candidates(SymmetryKind kind, HilbertSpace space) => Candidates(kind, space, out _);

    // u1 has a second form when qubits and larger sites are mixed: qubits counted from |0⟩ (H = +ω/2 Z has its
    // excitation on |0⟩, so a Jaynes–Cummings term a σ⁺ conserves n_a + (1 − digit)).
    private static List<SiteSymmetry> Candidates(SymmetryKind kind, HilbertSpace space, out string? reason)
    {
        var list = new List<SiteSymmetry>();
        if (SiteSymmetry.Create(kind, space, out reason) is { } g) list.Add(g);
        if (kind == SymmetryKind.U1 && space.Dimensions.Any(x => x == 2) && space.Dimensions.Any(x => x > 2)
            && SiteSymmetry.Create(kind, space, out _, invertQubits: true) is { } inverted)
            list.Add(inverted);
        return list;
    }
}

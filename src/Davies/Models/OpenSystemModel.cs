using Davies.Baths;
using Davies.Spaces;

namespace Davies.Models;

/// <summary>How much of the secular approximation to make.</summary>
public enum SecularMode
{
    /// <summary>Davies (partial secular): keep cross terms between transitions of equal Bohr frequency.</summary>
    Partial,

    /// <summary>No secular approximation: the Bloch–Redfield generator.</summary>
    None,
}

/// <summary>How the jump operators of the master equation are made (model-file field <c>options.approach</c>).</summary>
public enum MasterEquationApproach
{
    /// <summary>From the eigen-decomposition of the whole H_S (the Davies master equation; the default).</summary>
    Global,

    /// <summary>
    /// From the eigen-decomposition of each coupling's local Hamiltonian (the Hamiltonian terms inside the coupling's
    /// support), with the whole H_S as the coherent part: the local master equation, accurate when the inter-site
    /// couplings are small against the rates.
    /// </summary>
    Local,
}

/// <summary>Options of a model (model-file field <c>options</c>).</summary>
/// <param name="Secular"><c>secular</c>: <c>partial</c> (default) or <c>none</c>.</param>
/// <param name="LambShift"><c>lamb_shift</c>: include the Lamb-shift Hamiltonian (default true).</param>
/// <param name="Tolerance">
/// <c>tolerance</c>: absolute grouping tolerance for degenerate levels and Bohr frequencies; null selects the default
/// EigenBasis.DefaultRelativeTolerance × max(|E_min|, |E_max|, E_max − E_min).
/// </param>
/// <param name="Approach"><c>approach</c>: <c>global</c> (default) or <c>local</c> jump operators.</param>
public sealed record ModelOptions(SecularMode Secular = SecularMode.Partial, bool LambShift = true, double? Tolerance = null,
    MasterEquationApproach Approach = MasterEquationApproach.Global);

/// <summary>
/// One bath: a temperature, a rate function, and the system operators S_α it couples to. Each coupling operator
/// couples to its own independent mode of the bath (γ_αβ = δ_αβ G).
/// </summary>
public sealed class Bath
{
    /// <summary>Creates a bath; couplings must be Hermitian and finite (checked by <see cref="OpenSystemModel"/>).</summary>
    public Bath(string name, IRateFunction rates, IReadOnlyList<Matrix<Complex>> couplings, IReadOnlyList<string>? couplingLabels = null)
    {
        Name = name;
        Rates = rates;
        Couplings = couplings;
        CouplingLabels = couplingLabels ?? Enumerable.Range(0, couplings.Count).Select(i => $"coupling {i}").ToArray();
    }

    /// <summary>Unique name (used as key of heat currents).</summary>
    public string Name { get; }

    /// <summary>The bath's rate function G(ω), S(ω).</summary>
    public IRateFunction Rates { get; }

    /// <summary>Inverse temperature (∞ at T = 0).</summary>
    public double Beta => Rates.Beta;

    /// <summary>Temperature T = 1/β.</summary>
    public double Temperature => 1.0 / Rates.Beta;

    /// <summary>Coupling operators S_α in the model's site basis.</summary>
    public IReadOnlyList<Matrix<Complex>> Couplings { get; }

    /// <summary>Human labels of the couplings (for messages).</summary>
    public IReadOnlyList<string> CouplingLabels { get; }
}

/// <summary>
/// A finite open quantum system: Hamiltonian H_S on a <see cref="HilbertSpace"/>, baths, named observables, options.
/// The constructor validates everything and throws <see cref="ModelException"/> naming the problem.
/// </summary>
public sealed class OpenSystemModel
{
    /// <summary>Creates and validates a model.</summary>
    /// <param name="space">The Hilbert space of the sites.</param>
    /// <param name="hamiltonian">H_S in the site basis.</param>
    /// <param name="baths">The baths (at least one).</param>
    /// <param name="observables">Named observables.</param>
    /// <param name="options">Options.</param>
    /// <param name="hamiltonianTerms">
    /// The terms whose sum is H_S, when it was given as terms (needed by <see cref="MasterEquationApproach.Local"/>,
    /// which takes for each coupling the terms inside its support); null for a Hamiltonian given as one matrix.
    /// </param>
    public OpenSystemModel(HilbertSpace space, Matrix<Complex> hamiltonian, IReadOnlyList<Bath> baths,
        IReadOnlyDictionary<string, Matrix<Complex>>? observables = null, ModelOptions? options = null,
        IReadOnlyList<Matrix<Complex>>? hamiltonianTerms = null)
    {
        Space = space;
        Hamiltonian = hamiltonian;
        HamiltonianTerms = hamiltonianTerms;
        Baths = baths;
        Observables = observables ?? new Dictionary<string, Matrix<Complex>>();
        Options = options ?? new ModelOptions();
        Validate();
    }

    /// <summary>The Hilbert space.</summary>
    public HilbertSpace Space { get; }

    /// <summary>Dimension d.</summary>
    public int Dimension => Space.Dimension;

    /// <summary>H_S in the site basis.</summary>
    public Matrix<Complex> Hamiltonian { get; }

    /// <summary>The terms whose sum is H_S (site basis), or null when H_S was given as one matrix.</summary>
    public IReadOnlyList<Matrix<Complex>>? HamiltonianTerms { get; }

    /// <summary>The baths.</summary>
    public IReadOnlyList<Bath> Baths { get; }

    /// <summary>Named observables.</summary>
    public IReadOnlyDictionary<string, Matrix<Complex>> Observables { get; }

    /// <summary>Options.</summary>
    public ModelOptions Options { get; }

    /// <summary>
    /// Where the model came from (the model file's path, set by <see cref="ModelFile"/>); null for a model built in
    /// code. Numerical failures of the solvers name it.
    /// </summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// The Hamiltonian as the model file wrote it, term by term ("-1·Z0 Z1 + -0.7·X0 + …", "matrix (4×4)"), set by
    /// <see cref="ModelFile"/>; null for a model built in code. For display (e.g. <c>davies report</c>).
    /// </summary>
    public string? HamiltonianLabel { get; init; }

    /// <summary>The thermal machine the model declares (model-file field <c>machine</c>), or null.</summary>
    public ThermalMachine? Machine { get; init; }

    /// <summary>
    /// The symmetries of H_S the model declares (model-file field <c>symmetries</c>): each is verified when the model is
    /// built (a <see cref="ModelException"/> naming <c>symmetries[i]</c> when H_S does not commute with it) and H_S is
    /// diagonalised block by block of them. Null (the default): detected automatically; empty: none used.
    /// </summary>
    public IReadOnlyList<Symmetries.SymmetryKind>? Symmetries { get; init; }

    /// <summary>True when all baths share one temperature (then the Gibbs state is the equilibrium).</summary>
    public bool IsSingleTemperature => Baths.All(b => b.Beta.Equals(Baths[0].Beta));

    /// <summary>Returns a copy with other options.</summary>
    public OpenSystemModel WithOptions(ModelOptions options) => new(Space, Hamiltonian, Baths, Observables, options, HamiltonianTerms) { SourceName = SourceName, Machine = Machine, HamiltonianLabel = HamiltonianLabel, Symmetries = Symmetries };

    private void Validate()
    {
        int d = Space.Dimension;
        CheckOperator(Hamiltonian, "hamiltonian", d);
        if (!IsHermitian(Hamiltonian))
            throw new ModelException($"hamiltonian: the Hamiltonian is not Hermitian (largest |H − H†| entry {HermitianDefect(Hamiltonian):G3})");
        if (Baths.Count == 0) throw new ModelException("baths: the model has no baths; at least one is needed");
        if (Options.Approach == MasterEquationApproach.Local)
        {
            if (Options.Secular == SecularMode.None)
                throw new ModelException("options: approach: local builds the local (secular, GKLS) master equation and cannot be combined with secular: none");
            if (HamiltonianTerms is null)
                throw new ModelException("options.approach: local needs the hamiltonian as a list of terms (e.g. [[0.5, \"Z0\"], [0.1, \"X0 X1\"]]): a Hamiltonian given as one matrix cannot be split into the local Hamiltonians of the couplings");
            foreach (var t in HamiltonianTerms) CheckOperator(t, "hamiltonian term", d);
        }
        var names = new HashSet<string>();
        for (int b = 0; b < Baths.Count; b++)
        {
            var bath = Baths[b];
            string where = $"baths[{b}] ('{bath.Name}')";
            if (string.IsNullOrWhiteSpace(bath.Name)) throw new ModelException($"baths[{b}]: the bath has no name");
            if (!names.Add(bath.Name)) throw new ModelException($"{where}: duplicate bath name '{bath.Name}'");
            if (double.IsNaN(bath.Beta) || bath.Beta <= 0)
                throw new ModelException($"{where}: the temperature must be ≥ 0 (β > 0), got β = {bath.Beta}");
            if (bath.Couplings.Count == 0) throw new ModelException($"{where}: the bath has no couplings");
            for (int c = 0; c < bath.Couplings.Count; c++)
            {
                string cw = $"{where}.couplings[{c}]";
                CheckOperator(bath.Couplings[c], cw, d);
                if (!IsHermitian(bath.Couplings[c]))
                    throw new ModelException($"{cw}: coupling operators must be Hermitian (H_I = S ⊗ B with Hermitian S, B)");
            }
        }
        foreach (var (name, op) in Observables) CheckOperator(op, $"observables.{name}", d);
        if (Options.Tolerance is { } tol && (!double.IsFinite(tol) || tol <= 0))
            throw new ModelException($"options.tolerance: must be a positive finite number, got {tol}");
    }

    private static void CheckOperator(Matrix<Complex> m, string where, int d)
    {
        if (m.RowCount != d || m.ColumnCount != d)
            throw new ModelException($"{where}: has dimension {m.RowCount}×{m.ColumnCount}, but the Hilbert space has dimension {d}");
        if (m.Storage.IsDense)
        {
            // the dense array in column-major order (the order EnumerateIndexed visits), without its per-entry enumerator
            var data = LinearAlgebra.DenseKernels.Data(m);
            for (int k = 0; k < data.Length; k++)
                if (!double.IsFinite(data[k].Real) || !double.IsFinite(data[k].Imaginary))
                    throw new ModelException($"{where}: entry [{k % d}, {k / d}] is not a finite number ({data[k].Real} + {data[k].Imaginary}i)");
            return;
        }
        foreach (var (i, j, z) in m.EnumerateIndexed(Zeros.AllowSkip))
            if (!double.IsFinite(z.Real) || !double.IsFinite(z.Imaginary))
                throw new ModelException($"{where}: entry [{i}, {j}] is not a finite number ({z.Real} + {z.Imaginary}i)");
    }

    /// <summary>Largest |A − A†| entry (works on dense and sparse storage).</summary>
    internal static double HermitianDefect(Matrix<Complex> a)
    {
        double worst = 0;
        if (a.Storage is MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<Complex> csr && a.RowCount == a.ColumnCount)
        {
            // O(nnz log): each stored entry against the conjugate of its mirror, found by bisection in the mirror's row
            // (the same values, in the same order, as the dictionary below, without building it)
            var rows = csr.RowPointers;
            var columns = csr.ColumnIndices;
            var values = csr.Values;
            for (int i = 0; i < a.RowCount; i++)
                for (int k = rows[i]; k < rows[i + 1]; k++)
                {
                    int j = columns[k];
                    int m = Array.BinarySearch(columns, rows[j], rows[j + 1] - rows[j], i);
                    var mirror = m >= 0 ? values[m] : Complex.Zero;
                    worst = Math.Max(worst, (values[k] - Complex.Conjugate(mirror)).Magnitude);
                }
            return worst;
        }
        if (!a.Storage.IsDense)
        {
            // O(nnz): each stored entry against the conjugate of its mirror (Math.NET's sparse A − A† is far slower)
            var entries = new Dictionary<(int, int), Complex>();
            foreach (var (i, j, z) in a.EnumerateIndexed(Zeros.AllowSkip)) entries[(i, j)] = z;
            foreach (var ((i, j), z) in entries)
                worst = Math.Max(worst, (z - Complex.Conjugate(entries.GetValueOrDefault((j, i)))).Magnitude);
            return worst;
        }
        // dense: every entry against the conjugate of its mirror, in place (no A − A† and A† copies)
        int n = a.RowCount;
        if (a.ColumnCount != n) return double.PositiveInfinity;
        var data = LinearAlgebra.DenseKernels.Data(a);
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j; i++)
            {
                var defect = data[i + (long)j * n] - Complex.Conjugate(data[j + (long)i * n]);
                if (defect != Complex.Zero) worst = Math.Max(worst, defect.Magnitude); // |0| = 0 changes nothing: no hypot for it
            }
        return worst;
    }

    /// <summary>Hermitian to a tolerance relative to the largest entry (1e-10).</summary>
    internal static bool IsHermitian(Matrix<Complex> a) => HermitianDefect(a) <= 1e-10 * Math.Max(LargestMagnitude(a), 1e-300);

    /// <summary>
    /// max |A_ij| over the stored entries (0 for A = 0; NaN when an entry is NaN). Dense storage is read as its array,
    /// and zeros are skipped before the hypot of |z| (the operators of a model file are mostly zeros).
    /// </summary>
    internal static double LargestMagnitude(Matrix<Complex> a)
    {
        double largest = 0;
        if (a.Storage.IsDense)
        {
            foreach (var z in LinearAlgebra.DenseKernels.Data(a))
                if (z != Complex.Zero) largest = Math.Max(largest, z.Magnitude);
            return largest;
        }
        foreach (var z in a.Enumerate(Zeros.AllowSkip)) largest = Math.Max(largest, z.Magnitude);
        return largest;
    }
}

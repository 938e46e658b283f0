using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>One term of an operator expression: a real coefficient times a Pauli string ("Z0 Z1", "I") or a
/// product-basis matrix element ("|01⟩⟨01|", "(|01⟩⟨10| + h.c.)", "(i|01⟩⟨10| + h.c.)").</summary>
/// <param name="Coefficient">The coefficient.</param>
/// <param name="Label">The operator it multiplies.</param>
public readonly record struct OperatorTerm(double Coefficient, string Label);

/// <summary>A conserved quantity X of the generator, L†(X) = 0 (Hermitian), with a short expression in the model's site basis.</summary>
public sealed class ConservedQuantity
{
    private readonly EigenOperator _x;
    private readonly EigenBasis _basis;

    internal ConservedQuantity(EigenOperator x, EigenBasis basis, IReadOnlyList<OperatorTerm> terms, int omitted, string termBasis,
        string description, double expectation)
    {
        _x = x;
        _basis = basis;
        Terms = terms;
        OmittedTerms = omitted;
        TermBasis = termBasis;
        Description = description;
        Expectation = expectation;
        Expression = terms.Count == 0 ? description : OperatorExpressions.Text(terms.Select(t => (t.Coefficient, t.Label)).ToList(), omitted);
    }

    /// <summary>The largest terms of the operator (at most 8; empty when the model is too large for an expression).</summary>
    public IReadOnlyList<OperatorTerm> Terms { get; }

    /// <summary>How many further (smaller) terms the operator has.</summary>
    public int OmittedTerms { get; }

    /// <summary>"pauli" (Pauli strings on qubit sites), "product" (matrix elements in the product basis) or "none".</summary>
    public string TermBasis { get; }

    /// <summary>A short text of the operator ("X0 X1 X2", "0.5 (I + Z0 Z1)"), or <see cref="Description"/> without terms.</summary>
    public string Expression { get; }

    /// <summary>What the operator is: "identity", "conserved quantity", "projector onto invariant subspace 2", ….</summary>
    public string Description { get; }

    /// <summary>Tr[ρ X] in the state the result was computed for.</summary>
    public double Expectation { get; }

    /// <summary>The operator in the model's site basis (d×d).</summary>
    public Matrix<Complex> Operator() => _x.ToSiteBasis(_basis);

    internal EigenOperator EigenbasisOperator => _x;
}

/// <summary>
/// An invariant subspace of the dynamics: the range of a minimal central projection P of the algebra of conserved
/// quantities (on the recurrent part). Probability in it is conserved; inside it the stationary states are
/// σ ⊗ τ with τ fixed and σ free on a factor of dimension √<see cref="KernelDimension"/>.
/// </summary>
public sealed class InvariantSubspace
{
    private readonly SubspaceData _data;
    private readonly EigenBasis _basis;

    private readonly double[]? _gibbs;

    internal InvariantSubspace(SubspaceData data, EigenBasis basis, double weight, double? gibbsWeight, double? gibbsDistance, double[]? gibbs)
    {
        _data = data;
        _basis = basis;
        _gibbs = gibbs;
        Weight = weight;
        GibbsWeight = gibbsWeight;
        GibbsTraceDistance = gibbsDistance;
    }

    /// <summary>Its dimension (the rank of P).</summary>
    public int Dimension => _data.Dimension;

    /// <summary>The number of independent stationary states (and conserved quantities) inside it: n² for a free factor of dimension n.</summary>
    public long KernelDimension => _data.KernelDimension;

    /// <summary>Tr[P ρ]: the probability the state puts in it (conserved by the dynamics).</summary>
    public double Weight { get; }

    /// <summary>Tr[P ρ_β] for the Gibbs state when all baths share one temperature, else null.</summary>
    public double? GibbsWeight { get; }

    /// <summary>
    /// ½‖PρP/Tr[Pρ] − Pρ_βP/Tr[Pρ_β]‖₁: how far the state, restricted to the subspace and normalised, is from the
    /// Gibbs state restricted the same way (0 when it thermalizes inside the subspace). Null when the temperatures
    /// differ or either weight is 0.
    /// </summary>
    public double? GibbsTraceDistance { get; }

    /// <summary>The energy of the lowest level of H_S it has weight in.</summary>
    public double LowestEnergy => _basis.Levels[_data.LowestLevel].Energy;

    /// <summary>
    /// False when the subspace could not be split further (more than 2048 eigenvectors whose conserved quantities do
    /// not commute with the eigenbasis projectors): then it may be a union of invariant subspaces.
    /// </summary>
    public bool Resolved => _data.Resolved;

    /// <summary>The projector P in the model's site basis (d×d).</summary>
    public Matrix<Complex> Projector() => StationaryStructure.Projector(_data, _basis).ToSiteBasis(_basis);

    /// <summary>
    /// The Gibbs state restricted to the subspace, Pρ_βP / Tr[Pρ_β], in the model's site basis (the steady state inside
    /// the subspace from the maximally mixed start, with one temperature); null when the temperatures differ or
    /// Tr[Pρ_β] = 0. Dense d×d products.
    /// </summary>
    public Matrix<Complex>? GibbsState()
    {
        if (_gibbs is null || GibbsWeight is not > 0) return null;
        var pm = Projector();
        var gibbs = _basis.FromEigenbasis(Matrix<Complex>.Build.DenseOfDiagonalArray(_gibbs.Select(x => new Complex(x, 0)).ToArray()));
        return pm * gibbs * pm / GibbsWeight.Value;
    }
}

/// <summary>
/// Whether a Bohr sector ν ≠ 0 can hold a kernel of the generator (docs/conserved.md). <paramref name="Method"/>
/// "kms" (one temperature T &gt; 0: excluded exactly when no two levels of H_S + H_LS coincide; <paramref name="Spacing"/> is
/// the smallest distance between eigenvalues of H_S + H_LS in different levels of H_S, <paramref name="Bound"/> is 0),
/// "norm-bound" (excluded when <paramref name="Spacing"/>, the smallest distance between eigenvalues of different levels
/// of H_S, exceeds <paramref name="Bound"/> ≥ ‖D‖, the norm of the dissipator and Lamb shift; not excluded means not
/// checked further), "sectors" (the bound failed on a small model, d ≤ 128: every ν ≠ 0 sector's kernel computed, definite
/// either way) or "dense" (Bloch–Redfield: the kernel of the whole generator was computed).
/// </summary>
/// <param name="Excluded">True when no ν ≠ 0 sector can hold a kernel; false when it is not excluded (not checked further).</param>
/// <param name="Method">"kms", "norm-bound", "sectors" or "dense".</param>
/// <param name="Spacing">The spacing compared.</param>
/// <param name="Bound">The bound it is compared with ("norm-bound").</param>
public sealed record CoherentKernelCheck(bool Excluded, string Method, double Spacing, double Bound);

/// <summary>The conserved quantities of a generator and the structure of its stationary set (<see cref="ConservedQuantities.Of"/>).</summary>
public sealed class ConservedQuantitiesResult
{
    internal ConservedQuantitiesResult(long count, IReadOnlyList<ConservedQuantity> quantities, bool canonical,
        IReadOnlyList<InvariantSubspace>? subspaces, int transientDimension, double? transientGibbsWeight,
        CoherentKernelCheck coherent)
    {
        Count = count;
        Quantities = quantities;
        Canonical = canonical;
        InvariantSubspaces = subspaces;
        TransientDimension = transientDimension;
        TransientGibbsWeight = transientGibbsWeight;
        CoherentKernel = coherent;
    }

    /// <summary>The number of independent conserved quantities: the dimension of the kernel of L† (= that of L).</summary>
    public long Count { get; }

    /// <summary>The conserved quantities listed (the identity first); fewer than <see cref="Count"/> when <see cref="Truncated"/>.</summary>
    public IReadOnlyList<ConservedQuantity> Quantities { get; }

    /// <summary>True when only some of the conserved quantities are listed.</summary>
    public bool Truncated => Quantities.Count < Count;

    /// <summary>
    /// True when <see cref="Quantities"/> is the canonical basis (reduced row echelon form over Pauli strings or
    /// product-basis elements: it depends only on the space of conserved quantities); false when it lists the
    /// identity, the invariant-subspace projectors and then conserved quantities of single invariant blocks.
    /// </summary>
    public bool Canonical { get; }

    /// <summary>The invariant subspaces (ordered by their lowest level); null for Bloch–Redfield (not of GKLS form).</summary>
    public IReadOnlyList<InvariantSubspace>? InvariantSubspaces { get; }

    /// <summary>The number of transient eigenvectors (no stationary state has weight there; only with a bath at T = 0).</summary>
    public int TransientDimension { get; }

    /// <summary>The Gibbs state's weight on the transient eigenvectors (null when the temperatures differ).</summary>
    public double? TransientGibbsWeight { get; }

    /// <summary>Whether a Bohr sector ν ≠ 0 can add a stationary coherence (and a conserved quantity) to those of the ν = 0 sector.</summary>
    public CoherentKernelCheck CoherentKernel { get; }
}

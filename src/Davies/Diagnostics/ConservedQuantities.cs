using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// Why the steady state is (not) unique: the conserved quantities X of the generator (L†(X) = 0), shown as short
/// operator expressions in the model's site basis, the invariant subspaces with the weight of the state and of the Gibbs
/// state in each, and whether a Bohr sector ν ≠ 0 can add to them. For the Davies generator with every bath at T &gt; 0
/// they form the commutant of H_S + H_LS and of every S_α(ω) with a non-zero rate (a *-algebra); at T = 0 they are the
/// kernel of L† itself (absorption probabilities into the closed classes). Computed alongside
/// <see cref="SteadyState.Solve(EnergyBasisModel, SteadyStateOptions)"/>, block by block of the ν = 0 sector;
/// see docs/conserved.md.
/// </summary>
public static class ConservedQuantities
{
    /// <summary>The default number of conserved quantities listed.</summary>
    public const int DefaultMaxListed = 32;

    // Floating-point budget of the dense site-basis transforms behind the expressions (about a second natively).
    private const double TransformBudget = 2e10;

    /// <summary>
    /// The conserved quantities and invariant subspaces behind a steady state: expectations, weights and Gibbs
    /// distances are those of <paramref name="steady"/> (the limit reached from its start).
    /// </summary>
    /// <param name="steady">A steady state from <see cref="SteadyState"/>.</param>
    /// <param name="maxListed">At most this many conserved quantities are listed (≥ 1).</param>
    public static ConservedQuantitiesResult Of(SteadyStateResult steady, int maxListed = DefaultMaxListed)
    {
        if (maxListed < 1) throw new ModelException($"conserved quantities: the number to list must be ≥ 1, got {maxListed}");
        var dm = steady.Decomposed;
        var basis = dm.Basis;
        int d = basis.Dimension;
        var rho = steady.DensityMatrixEigenbasis;
        var structure = steady.Structure;
        var coherent = structure is null ? new CoherentKernelCheck(true, "dense", 0, 0) : CoherentKernelBound.Check(dm, steady.ShiftedEnergiesByLevel);
        if (structure is null)
        {
            // Bloch–Redfield or the local master equation: the left kernel of the dense generator (small d); no invariant subspaces.
            var ops = new List<(EigenOperator, string)> { (EigenOperator.Identity(d), "identity") };
            if (steady.KernelDimension > 1)
            {
                var pair = steady.RedfieldKernel ?? GeneratorKernel.KernelPair(Generators.DenseGenerator.Of(dm), dm.Backend);
                for (int j = 0; j < pair.Dimension; j++)
                {
                    var l = pair.Left(j);
                    var x = new EigenOperator(d);
                    for (int k = 0; k < l.Length; k++) x.Add(k % d, k / d, l[k]);
                    ops.Add((x, "conserved quantity"));
                }
            }
            var (list, canonical) = List(dm, rho, ops, [], steady.KernelDimension, steady.KernelDimension <= StationaryStructure.FullBasisLimit, maxListed);
            return new ConservedQuantitiesResult(steady.KernelDimension, list, canonical, null, 0, null, coherent);
        }
        var (quantities, isCanonical) = List(dm, rho, structure.Candidates, structure.Central, structure.KernelDimension,
            structure.CompleteBasis, maxListed);
        var subspaces = Subspaces(steady, structure);
        double? transientGibbs = steady.Model.IsSingleTemperature
            ? TransientWeight(Solvers.Thermal.GibbsWeights(basis, steady.Model.Baths[0].Beta), structure.Transient) : null;
        return new ConservedQuantitiesResult(structure.KernelDimension, quantities, isCanonical, subspaces, structure.Transient.Length,
            transientGibbs, coherent);
    }

    private static double TransientWeight(double[] gibbs, IEnumerable<int> transient) => transient.Sum(m => gibbs[m]);

    // The quantities to list: the canonical echelon basis when the whole basis is known and expressible, otherwise the
    // identity, the central projectors and the blocks' own conserved quantities, independent ones only.
    private static (List<ConservedQuantity>, bool) List(EnergyBasisModel dm, Matrix<Complex> rho,
        IReadOnlyList<(EigenOperator Operator, string Description)> candidates, IReadOnlyList<(EigenOperator Operator, string Description)> central,
        long count, bool complete, int maxListed)
    {
        var basis = dm.Basis;
        var space = dm.OpenSystem.Space;
        int d = basis.Dimension;
        bool permuted = basis.Permutation is not null;
        bool qubits = OperatorExpressions.AllQubits(space) && space.Dimension == d;
        int n = space.SiteCount;
        var inputs = new List<(EigenOperator X, string Description, bool Scale, bool Central)>();
        inputs.Add((EigenOperator.Identity(d), "identity", false, false));
        foreach (var (x, desc) in central) inputs.AddRange(Hermitian(x).Select(h => (h, desc, false, true)));
        foreach (var (x, desc) in candidates)
            if (desc != "identity") inputs.AddRange(Hermitian(x).Select(h => (h, desc, true, false)));

        bool pauliOk = qubits && d <= OperatorExpressions.DimensionLimit;
        // Expressions cost a site-basis transform (re-indexing for a permuted basis, else about 8 d² × columns flops,
        // refused beyond d = 1024) and a Pauli transform (4 d² log d): within TransformBudget in all.
        double budget = TransformBudget;
        bool Affordable(EigenOperator x)
        {
            if (!permuted && d > OperatorExpressions.DimensionLimit) return false;
            double cost = (permuted || IsIdentity(x) ? 0 : 8.0 * d * d * Columns(x)) + (pauliOk ? 4.0 * d * d * n : 0);
            if (cost > budget) return false;
            budget -= cost;
            return true;
        }
        Matrix<Complex> Site(EigenOperator x) => IsIdentity(x) ? Identity(d) : x.ToSiteBasis(basis, dm.Backend);

        // the canonical form needs only the identity and the blocks' quantities (the central ones are in their span)
        var canonicalInputs = inputs.Where(i => !i.Central).ToList();
        if (complete && canonicalInputs.All(i => Affordable(i.X)))
        {
            inputs = canonicalInputs;
            var coords = inputs.Select(i => pauliOk
                ? IsIdentity(i.X) ? new Dictionary<long, double> { [0] = 1 } : OperatorExpressions.Pauli(Site(i.X), n)
                : OperatorExpressions.Elements(Site(i.X))).ToList();
            var order = OperatorExpressions.Order(pauliOk, n);
            var rows = OperatorExpressions.Echelon(coords, order);
            if (rows.Count == count)
            {
                var list = new List<ConservedQuantity>();
                foreach (var (row, comb) in rows.Take(maxListed))
                {
                    var x = new EigenOperator(d);
                    for (int j = 0; j < comb.Length; j++) if (comb[j] != 0) x = x.Combine(1, inputs[j].X, comb[j]);
                    bool identity = row.Count == 1 && row.ContainsKey(0) && Math.Abs(row[0] - 1) < 1e-9;
                    list.Add(Make(x, basis, space, row, pauliOk, n, identity ? "identity" : "conserved quantity", rho));
                }
                return (list, true);
            }
        }

        // Independent ones, in order (Gram–Schmidt as the test, the originals kept).
        var kept = new List<ConservedQuantity>();
        var orthonormal = new List<EigenOperator>();
        budget = TransformBudget;
        foreach (var (x, desc, scale, _) in inputs)
        {
            if (kept.Count >= maxListed) break;
            var r = x;
            foreach (var q in orthonormal) r = r.Combine(1, q, -q.Inner(r));
            double norm = r.Norm(), xn = x.Norm();
            if (xn == 0 || norm <= 1e-8 * xn) continue;
            orthonormal.Add(r.Combine(1 / norm, r, 0));
            Dictionary<long, double>? coordinates = null;
            bool pauli = false;
            if (desc != "identity" && Affordable(x))
            {
                var site = Site(x);
                var elements = OperatorExpressions.Elements(site);
                coordinates = elements;
                if (pauliOk && elements.Count > OperatorExpressions.MaxTerms) // few matrix elements: already short
                {
                    var p = OperatorExpressions.Pauli(site, n);
                    if (p.Count <= elements.Count)
                    {
                        coordinates = p;
                        pauli = true;
                    }
                }
            }
            else if (desc != "identity" && qubits && FlipParityCoordinates(x, basis, n) is { } flip)
            {
                coordinates = flip;
                pauli = true;
            }
            var shown = x;
            if (scale && coordinates is { Count: > 0 })
            {
                // largest coefficient 1 (the first in canonical order positive)
                var (terms, _) = OperatorExpressions.Largest(coordinates, OperatorExpressions.Order(pauli, n));
                double f = 1 / terms[0].Coefficient;
                shown = x.Combine(f, x, 0);
                coordinates = coordinates.ToDictionary(e => e.Key, e => e.Value * f);
            }
            else if (scale)
            {
                double max = x.MaxAbs();
                shown = x.Combine(1 / max, x, 0);
            }
            kept.Add(Make(shown, basis, space, coordinates, pauli, n, desc, rho));
        }
        return (kept, false);
    }

    private static ConservedQuantity Make(EigenOperator x, EigenBasis basis, Spaces.HilbertSpace space, Dictionary<long, double>? coordinates,
        bool pauli, int n, string description, Matrix<Complex> rho)
    {
        var terms = new List<OperatorTerm>();
        int omitted = 0;
        if (description == "identity") coordinates = new Dictionary<long, double> { [0] = 1 }; // "I" in either basis
        if (description == "identity" && !pauli) return new ConservedQuantity(x, basis, [new OperatorTerm(1, "I")], 0, "product", description, x.Expectation(rho).Real);
        if (coordinates is not null)
        {
            var (largest, rest) = OperatorExpressions.Largest(coordinates, OperatorExpressions.Order(pauli, n));
            terms = largest.Select(t => new OperatorTerm(Tidy(t.Coefficient),
                pauli ? OperatorExpressions.PauliLabel(t.Code, n) : OperatorExpressions.ElementLabel(t.Code, space))).ToList();
            omitted = rest;
        }
        return new ConservedQuantity(x, basis, terms, omitted, coordinates is null ? "none" : pauli ? "pauli" : "product", description,
            x.Expectation(rho).Real);
    }

    /// <summary>
    /// Without a site-basis transform (large d): a diagonal X = a𝟙 + bF in the eigenbasis, with F = Π_i X_i the global
    /// spin flip whose eigenvalue ±1 on each eigenvector is known (Ising-type models, <see cref="CouplingTransform.GlobalFlipParity"/>),
    /// as the Pauli coordinates {I: a, X0 X1 …: b}; null when X is not of that form (to 1e-9).
    /// </summary>
    private static Dictionary<long, double>? FlipParityCoordinates(EigenOperator x, EigenBasis basis, int n)
    {
        int d = x.Dimension;
        if (x.Entries.Keys.Any(k => k % d != k / d) || CouplingTransform.GlobalFlipParity(basis) is not { } parity) return null;
        double even = 0, odd = 0;
        int ne = 0, no = 0;
        for (int m = 0; m < d; m++)
            if (parity[m] > 0) { even += x[m, m].Real; ne++; }
            else { odd += x[m, m].Real; no++; }
        if (ne == 0 || no == 0) return null;
        even /= ne;
        odd /= no;
        double max = x.MaxAbs();
        for (int m = 0; m < d; m++)
            if (Math.Abs(x[m, m].Real - (parity[m] > 0 ? even : odd)) > 1e-9 * max || Math.Abs(x[m, m].Imaginary) > 1e-9 * max) return null;
        long code = 0;
        for (int k = 0; k < n; k++) code = code * 4 + 1;
        var coords = new Dictionary<long, double>();
        if (Math.Abs(even + odd) > 1e-12 * max) coords[0] = 0.5 * (even + odd);
        if (Math.Abs(even - odd) > 1e-12 * max) coords[code] = 0.5 * (even - odd);
        return coords;
    }

    // A coefficient rounded to 10 significant digits (rounding noise of the transforms off the shown terms).
    private static double Tidy(double v) =>
        v == 0 || !double.IsFinite(v) ? v : Math.Round(v, Math.Clamp(9 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15));

    // The Hermitian parts (X + X†)/2 and (X − X†)/(2i) that are not zero.
    private static IEnumerable<EigenOperator> Hermitian(EigenOperator x)
    {
        var adj = x.Adjoint();
        var re = x.Combine(0.5, adj, 0.5);
        var im = x.Combine(new Complex(0, -0.5), adj, new Complex(0, 0.5));
        double norm = x.Norm();
        if (re.Norm() > 1e-10 * norm) yield return re;
        if (im.Norm() > 1e-10 * norm) yield return im;
    }

    private static bool IsIdentity(EigenOperator x)
    {
        if (x.Entries.Count != x.Dimension) return false;
        for (int m = 0; m < x.Dimension; m++) if (x[m, m] != Complex.One) return false;
        return true;
    }

    private static Matrix<Complex> Identity(int d) => d > 256
        ? Matrix<Complex>.Build.SparseIdentity(d)
        : Matrix<Complex>.Build.DenseIdentity(d);

    private static int Columns(EigenOperator x) => x.Entries.Keys.Select(k => (int)(k / x.Dimension)).Distinct().Count();

    private static List<InvariantSubspace> Subspaces(SteadyStateResult steady, StationaryStructure structure)
    {
        var basis = steady.Decomposed.Basis;
        var model = steady.Model;
        double[]? gibbs = model.IsSingleTemperature ? Solvers.Thermal.GibbsWeights(basis, model.Baths[0].Beta) : null;
        var rho = steady.DensityMatrixEigenbasis;
        var result = new List<InvariantSubspace>();
        var numbers = SubspaceNumbers.Of(structure.Subspaces, basis, rho, gibbs, steady.Decomposed.Backend);
        foreach (var (s, (weight, gibbsWeight, distance)) in structure.Subspaces.Zip(numbers))
            result.Add(new InvariantSubspace(s, basis, weight, gibbsWeight, distance, gibbs));
        return result;
    }
}

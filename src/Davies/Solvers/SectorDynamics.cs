using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// The exact propagator e^{At} of one small generator block A (a Bohr sector, or the whole Redfield matrix):
/// A = V Λ V⁻¹ with unit-norm eigenvector columns, e^{At} x = V (e^{λt} ∘ V⁻¹x), unless the eigenvector matrix is
/// ill-conditioned (κ₂(V) &gt; limit), in which case e^{At} is evaluated by scaling-and-squaring Padé for every t.
/// </summary>
internal sealed class SectorDynamics
{
    private SectorDynamics(Matrix<Complex> generator, Complex[] eigenvalues, Matrix<Complex>? vectors,
        Matrix<Complex>? inverse, double condition)
    {
        Generator = generator;
        Eigenvalues = eigenvalues;
        Vectors = vectors;
        Inverse = inverse;
        Condition = condition;
    }

    public Matrix<Complex> Generator { get; }

    /// <summary>Eigenvalues of the block (always computed).</summary>
    public Complex[] Eigenvalues { get; }

    /// <summary>Unit-norm eigenvectors (columns), or null when the Padé path is used.</summary>
    public Matrix<Complex>? Vectors { get; }

    /// <summary>V⁻¹, or null when the Padé path is used.</summary>
    public Matrix<Complex>? Inverse { get; }

    /// <summary>κ₂(V) with unit columns (∞ when singular).</summary>
    public double Condition { get; }

    public bool UsesPade => Vectors is null;

    public int Dimension => Generator.RowCount;

    /// <summary>The propagator of block <paramref name="a"/>, from its eigen-decomposition by <paramref name="backend"/>.</summary>
    public static SectorDynamics Create(Matrix<Complex> a, double conditionLimit, bool forcePade, ILinearAlgebraBackend backend)
    {
        int n = a.RowCount;
        double norm = a.L1Norm();
        if (n == 1)
        {
            var l = Clean(a[0, 0], norm);
            return forcePade
                ? new SectorDynamics(a, [l], null, null, 1)
                : new SectorDynamics(a, [l], Matrix<Complex>.Build.Dense(1, 1, 1), Matrix<Complex>.Build.Dense(1, 1, 1), 1);
        }
        var evd = backend.EigenGeneral(a);
        var values = evd.Values.Select(l => Clean(l, norm)).ToArray();
        var v = evd.Vectors.Clone();
        for (int j = 0; j < n; j++)
        {
            double cn = v.Column(j).L2Norm();
            if (cn > 0) v.SetColumn(j, v.Column(j) / cn);
        }
        // condition number κ₁(V) = ‖V‖₁‖V⁻¹‖₁ from the inverse we need anyway (no SVD)
        Matrix<Complex>? inverse = null;
        double cond;
        try
        {
            inverse = LuFactorization.Inverse(v, backend);
            cond = v.L1Norm() * inverse.L1Norm();
            if (!double.IsFinite(cond)) cond = double.PositiveInfinity;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or LinearAlgebraException)
        {
            cond = double.PositiveInfinity;
        }
        if (forcePade || !(cond <= conditionLimit) || inverse is null)
            return new SectorDynamics(a, values, null, null, cond);
        return new SectorDynamics(a, values, v, inverse, cond);
    }

    /// <summary>
    /// The propagator of a block A whose KMS form T⁻¹AT (T = diag t) is a Hermitian H plus i·shift: A = V Λ V⁻¹ with
    /// V = T U (unit columns) and V⁻¹ from U† T⁻¹ directly (U the unitary eigenvectors of H): no general eigensolver and
    /// no inverse, and κ(V) ≤ max t / min t instead of the ill-conditioning of a general eigensolver on the massively
    /// degenerate spectra of such blocks. Falls back to Padé when κ exceeds <paramref name="conditionLimit"/>.
    /// </summary>
    public static SectorDynamics FromKmsNormal(Matrix<Complex> a, double[] t, Matrix<Complex> hermitian, double shift,
        double conditionLimit, bool forcePade, ILinearAlgebraBackend backend)
    {
        int n = a.RowCount;
        double norm = a.L1Norm();
        var h = 0.5 * (hermitian + hermitian.ConjugateTranspose());
        var eig = backend.EigenHermitian(h);
        var values = eig.Values.Select(v => Clean(new Complex(v, shift), norm)).ToArray();
        var u = eig.Vectors;
        var v = Matrix<Complex>.Build.Dense(n, n, (i, j) => t[i] * u[i, j]);
        var scale = new double[n];
        for (int j = 0; j < n; j++)
        {
            scale[j] = v.Column(j).L2Norm();
            for (int i = 0; i < n; i++) v[i, j] /= scale[j];
        }
        // V⁻¹ = D U† T⁻¹ with D the column scales
        var inverse = Matrix<Complex>.Build.Dense(n, n, (j, i) => scale[j] * Complex.Conjugate(u[i, j]) / t[i]);
        double cond = v.L1Norm() * inverse.L1Norm();
        if (forcePade || !(cond <= conditionLimit)) return new SectorDynamics(a, values, null, null, cond);
        return new SectorDynamics(a, values, v, inverse, cond);
    }

    /// <summary>
    /// Removes rounding from an eigenvalue of a generator block: |λ| ≤ 1e-13 ‖A‖₁ becomes exactly 0 (otherwise e^{λt}
    /// with λ ~ ±1e-16‖A‖ would make the trace drift at very long times), and a positive real part (impossible for a
    /// generator of a contraction semigroup, so rounding) becomes 0.
    /// </summary>
    private static Complex Clean(Complex l, double norm)
    {
        if (l.Magnitude <= 1e-13 * norm) return Complex.Zero;
        return l.Real > 0 ? new Complex(0, l.Imaginary) : l;
    }

    /// <summary>Coefficients c = V⁻¹ x₀ of an initial vector (eigen path only).</summary>
    public Vector<Complex> Coefficients(Vector<Complex> x0) =>
        Inverse is null ? throw new InvalidOperationException("no eigenvector basis on the Padé path") : Inverse * x0;

    /// <summary>x(t) from the coefficients (eigen path) or from x₀ (Padé path).</summary>
    public Vector<Complex> Evolve(Vector<Complex> x0, Vector<Complex>? coefficients, double t)
    {
        if (Vectors is not null && coefficients is not null)
        {
            var e = Vector<Complex>.Build.Dense(Dimension, j => Complex.Exp(Eigenvalues[j] * t) * coefficients[j]);
            return Vectors * e;
        }
        if (Dimension == 1) return x0 * Complex.Exp(Generator[0, 0] * t);
        return MatrixExponential.Exp(Generator * t) * x0;
    }

    /// <summary>
    /// e^{At}x₀ minus its t → ∞ limit. On the eigen path this is the sum over the modes with |λ| &gt; <paramref name="zero"/>
    /// alone, so a small deviation keeps its relative accuracy (no cancellation against the limit); on the Padé path
    /// it is the difference of the two.
    /// </summary>
    public Vector<Complex> Deviation(Vector<Complex> x0, Vector<Complex>? coefficients, double t, double zero)
    {
        if (Vectors is not null && coefficients is not null)
        {
            var e = Vector<Complex>.Build.Dense(Dimension,
                j => Eigenvalues[j].Magnitude <= zero ? Complex.Zero : Complex.Exp(Eigenvalues[j] * t) * coefficients[j]);
            return Vectors * e;
        }
        return Evolve(x0, coefficients, t) - Limit(x0, coefficients, zero);
    }

    /// <summary>
    /// The t → ∞ limit of e^{At}x₀: the component on the eigenvalues with |λ| ≤ <paramref name="zero"/>. The zero
    /// eigenvalue of a generator of a contraction semigroup is semisimple, so on the Padé path this is the spectral
    /// projection R (Uₗ†R)⁻¹ Uₗ† x₀ onto the right kernel along the range (kernels from the SVD).
    /// </summary>
    public Vector<Complex> Limit(Vector<Complex> x0, Vector<Complex>? coefficients, double zero)
    {
        int n = Dimension;
        if (Vectors is not null && coefficients is not null)
        {
            var x = Vector<Complex>.Build.Dense(n);
            for (int j = 0; j < n; j++)
                if (Eigenvalues[j].Magnitude <= zero) x += coefficients[j] * Vectors.Column(j);
            return x;
        }
        int k = Eigenvalues.Count(l => l.Magnitude <= zero);
        if (k == 0) return Vector<Complex>.Build.Dense(n);
        var svd = Generator.Svd(true);
        var r = Matrix<Complex>.Build.Dense(n, k);
        var ul = Matrix<Complex>.Build.Dense(n, k);
        for (int c = 0; c < k; c++)
        {
            r.SetColumn(c, svd.VT.Row(n - k + c).Conjugate());
            ul.SetColumn(c, svd.U.Column(n - k + c));
        }
        return r * (ul.ConjugateTranspose() * r).Solve(ul.ConjugateTranspose() * x0);
    }
}

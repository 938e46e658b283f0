using Davies.LinearAlgebra;
using static Davies.Tests.LinearAlgebra.TestMatrices;

namespace Davies.Tests.LinearAlgebra;

/// <summary>
/// The mathematical contract of <see cref="ILinearAlgebraBackend"/>, checked on both backends: decompositions
/// reconstruct their input, eigen/singular vectors are orthonormal, solves have small residuals, inputs are unchanged.
/// The native cases are skipped (with the reason) only when the native libraries do not load.
/// </summary>
public class BackendContractTests
{
    private const double Tol = 1e-11;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var backend in new[] { "managed", "native" })
            foreach (var n in Sizes) data.Add(backend, n);
        return data;
    }

    public static TheoryData<string> Backends() => new() { "managed", "native" };

    // The native cases are skipped, visibly and with the reason, when the native libraries do not load.
    private static ILinearAlgebraBackend Get(string name)
    {
        if (name == "managed") return ManagedBackend.Instance;
        bool loaded = NativeBackend.TryGet(out var native, out var failure);
        Skip.IfNot(loaded, $"native backend unavailable ({failure})");
        return native!;
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void EigenHermitian_ReconstructsAndIsOrthonormal(string name, int n)
    {
        var backend = Get(name);
        var a = RandomHermitian(n, 1000 + n);
        var copy = a.Clone();
        var eig = backend.EigenHermitian(a);

        Assert.Equal(copy, a);
        Assert.Equal(n, eig.Values.Length);
        for (int i = 1; i < n; i++) Assert.True(eig.Values[i - 1] <= eig.Values[i], "eigenvalues not ascending");
        Assert.True(OrthonormalityError(eig.Vectors) < Tol * n, $"‖V†V − I‖ = {OrthonormalityError(eig.Vectors)}");
        var rec = eig.Vectors * Diag(eig.Values) * eig.Vectors.ConjugateTranspose();
        Assert.True((a - rec).FrobeniusNorm() < Tol * Scale(a), $"‖A − VΛV†‖ = {(a - rec).FrobeniusNorm()}");
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void EigenSymmetric_ReconstructsAndIsOrthonormal(string name, int n)
    {
        var backend = Get(name);
        var a = RandomSymmetric(n, 2000 + n);
        var copy = a.Clone();
        var eig = backend.EigenSymmetric(a);

        Assert.Equal(copy, a);
        for (int i = 1; i < n; i++) Assert.True(eig.Values[i - 1] <= eig.Values[i], "eigenvalues not ascending");
        Assert.True(OrthonormalityError(eig.Vectors) < Tol * n);
        var rec = eig.Vectors * DiagReal(eig.Values) * eig.Vectors.Transpose();
        Assert.True((a - rec).FrobeniusNorm() < Tol * Scale(a), $"‖A − VΛVᵀ‖ = {(a - rec).FrobeniusNorm()}");
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void IsPositiveDefinite_DecidesBySmallestEigenvalue(string name, int n)
    {
        var backend = Get(name);
        var h = RandomHermitian(n, 4000 + n);
        double lmin = backend.EigenHermitian(h).Values[0];
        var id = Matrix<Complex>.Build.DenseIdentity(n);
        double gap = 1e-3 * Math.Max(1, Math.Abs(lmin));
        Assert.True(backend.IsPositiveDefinite(h - (lmin - gap) * id));
        Assert.False(backend.IsPositiveDefinite(h - (lmin + gap) * id));
        Assert.False(backend.IsPositiveDefinite(-id));
    }

    [SkippableFact]
    public void EigenvaluesSymmetric_LargeMatrix_TwoStagePathAgrees()
    {
        // native only: the managed path does not depend on the size (and is slow at this size)
        var backend = Get("native");
        const int n = 1100; // ≥ 1024: the native backend's two-stage reduction
        var a = RandomSymmetric(n, 5000);
        var values = backend.EigenvaluesSymmetric(a);
        var full = backend.EigenSymmetric(a).Values;
        double tol = 1e-12 * Scale(a);
        for (int i = 1; i < n; i++) Assert.True(values[i - 1] <= values[i], "eigenvalues not ascending");
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(values[i] - full[i]) < tol, $"λ_{i}: {values[i]} vs {full[i]}");
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void EigenvaluesSymmetric_AgreeWithTheFullDecomposition(string name, int n)
    {
        var backend = Get(name);
        var a = RandomSymmetric(n, 3000 + n);
        var copy = a.Clone();
        var values = backend.EigenvaluesSymmetric(a);
        var full = backend.EigenSymmetric(a).Values;

        Assert.Equal(copy, a);
        Assert.Equal(n, values.Length);
        double tol = Tol * Scale(a);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(values[i] - full[i]) < tol, $"λ_{i}: {values[i]} vs {full[i]}");
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void EigenHermitian_DegenerateSpectra_GiveOrthonormalVectors(string name)
    {
        var backend = Get(name);
        var cases = new[]
        {
            Matrix<Complex>.Build.DenseIdentity(9),
            Kron(Matrix<Complex>.Build.DenseIdentity(4), RandomHermitian(6, 7)),             // 4-fold degenerate
            Kron(RandomHermitian(5, 8), Matrix<Complex>.Build.DenseIdentity(8)),             // 8-fold degenerate
            Kron(Matrix<Complex>.Build.DenseIdentity(16), Matrix<Complex>.Build.Dense(4, 4)) // all zero
                + Kron(Matrix<Complex>.Build.DenseIdentity(32), Diag([1.0, -1.0])),
        };
        foreach (var a in cases)
        {
            var eig = backend.EigenHermitian(a);
            Assert.True(OrthonormalityError(eig.Vectors) < 1e-12 * a.RowCount,
                $"{a.RowCount}: ‖V†V − I‖ = {OrthonormalityError(eig.Vectors)}");
            var rec = eig.Vectors * Diag(eig.Values) * eig.Vectors.ConjugateTranspose();
            Assert.True((a - rec).FrobeniusNorm() < Tol * Scale(a));
        }
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void EigenSymmetric_DegenerateSpectrum_GivesOrthonormalVectors(string name)
    {
        var backend = Get(name);
        var a = RandomSymmetric(5, 9).KroneckerProduct(Matrix<double>.Build.DenseIdentity(6));
        var eig = backend.EigenSymmetric(a);
        Assert.True(OrthonormalityError(eig.Vectors) < 1e-12 * a.RowCount);
        Assert.True((a - eig.Vectors * DiagReal(eig.Values) * eig.Vectors.Transpose()).FrobeniusNorm() < Tol * Scale(a));
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void Multiply_And_AdjointMultiply_MatchDefinitions(string name, int n)
    {
        var backend = Get(name);
        int m = n + 3, k = 2 * n + 1;
        var a = RandomComplex(m, k, 3000 + n);
        var b = RandomComplex(k, n, 3100 + n);
        var c = RandomComplex(k, m + 1, 3200 + n);
        var (ca, cb, cc) = (a.Clone(), b.Clone(), c.Clone());

        var ab = backend.Multiply(a, b);
        var ahc = backend.AdjointMultiply(a.SubMatrix(0, m, 0, k).Transpose().Conjugate(), b); // (A†)†·B = A·B
        var ach = backend.AdjointMultiply(c, b);                                               // C†·B

        Assert.Equal(ca, a); Assert.Equal(cb, b); Assert.Equal(cc, c);
        Assert.Equal(m, ab.RowCount); Assert.Equal(n, ab.ColumnCount);
        Assert.True((ab - a * b).FrobeniusNorm() < 1e-13 * a.FrobeniusNorm() * b.FrobeniusNorm());
        Assert.True((ahc - a * b).FrobeniusNorm() < 1e-13 * a.FrobeniusNorm() * b.FrobeniusNorm());
        Assert.Equal(m + 1, ach.RowCount);
        Assert.True((ach - c.ConjugateTranspose() * b).FrobeniusNorm() < 1e-13 * c.FrobeniusNorm() * b.FrobeniusNorm());
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void Multiply_RejectsMismatchedShapes(string name)
    {
        var backend = Get(name);
        Assert.ThrowsAny<ArgumentException>(() => backend.Multiply(RandomComplex(2, 3, 1), RandomComplex(2, 3, 2)));
        Assert.ThrowsAny<ArgumentException>(() => backend.AdjointMultiply(RandomComplex(2, 3, 1), RandomComplex(3, 2, 2)));
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void Solve_HasSmallResidual(string name, int n)
    {
        var backend = Get(name);
        var a = RandomComplex(n, n, 4000 + n) + 2 * Math.Sqrt(n) * Matrix<Complex>.Build.DenseIdentity(n);
        var b = RandomComplexVector(n, 4100 + n);
        var (ca, cb) = (a.Clone(), b.Clone());
        var x = backend.Solve(a, b);
        Assert.Equal(ca, a); Assert.Equal(cb, b);
        Assert.True((a * x - b).L2Norm() < 1e-13 * a.FrobeniusNorm() * x.L2Norm() * Math.Max(1, n));

        var ar = RandomReal(n, n, 4200 + n);
        var br = RandomRealVector(n, 4300 + n);
        var (car, cbr) = (ar.Clone(), br.Clone());
        var xr = backend.Solve(ar, br);
        Assert.Equal(car, ar); Assert.Equal(cbr, br);
        Assert.True((ar * xr - br).L2Norm() < 1e-13 * ar.FrobeniusNorm() * xr.L2Norm() * Math.Max(1, n));
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void Solve_SingularMatrix_Throws(string name)
    {
        var backend = Get(name);
        var a = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 1, 2 }, { 2, 4 } });
        Assert.Throws<LinearAlgebraException>(() => backend.Solve(a, Vector<Complex>.Build.Dense(2, 1)));
        var ar = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 2, 4 } });
        Assert.Throws<LinearAlgebraException>(() => backend.Solve(ar, Vector<double>.Build.Dense(2, 1)));
    }

    public static TheoryData<string, int, int> SvdShapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var backend in new[] { "managed", "native" })
        {
            foreach (var n in Sizes) data.Add(backend, n, n);
            data.Add(backend, 7, 3);
            data.Add(backend, 3, 7);
            data.Add(backend, 64, 20);
        }
        return data;
    }

    [SkippableTheory, MemberData(nameof(SvdShapes))]
    public void Svd_Reconstructs(string name, int m, int n)
    {
        var backend = Get(name);
        var a = RandomComplex(m, n, 5000 + 31 * m + n);
        var copy = a.Clone();
        var (s, u, vh) = backend.Svd(a);
        Assert.Equal(copy, a);
        Assert.Equal(Math.Min(m, n), s.Length);
        for (int i = 1; i < s.Length; i++) Assert.True(s[i - 1] >= s[i], "singular values not descending");
        Assert.Equal((m, m), (u.RowCount, u.ColumnCount));
        Assert.Equal((n, n), (vh.RowCount, vh.ColumnCount));
        Assert.True(OrthonormalityError(u) < Tol * m);
        Assert.True(OrthonormalityError(vh.ConjugateTranspose()) < Tol * n);
        var sigma = Matrix<Complex>.Build.Dense(m, n);
        for (int i = 0; i < s.Length; i++) sigma[i, i] = s[i];
        Assert.True((a - u * sigma * vh).FrobeniusNorm() < Tol * Scale(a));

        var ar = RandomReal(m, n, 5500 + 31 * m + n);
        var copyr = ar.Clone();
        var (sr, ur, vt) = backend.Svd(ar);
        Assert.Equal(copyr, ar);
        var sigmar = Matrix<double>.Build.Dense(m, n);
        for (int i = 0; i < sr.Length; i++) sigmar[i, i] = sr[i];
        Assert.True(OrthonormalityError(ur) < Tol * m);
        Assert.True(OrthonormalityError(vt) < Tol * n);
        Assert.True((ar - ur * sigmar * vt).FrobeniusNorm() < Tol * Scale(ar));
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void EigenGeneral_Complex_SatisfiesEigenEquation(string name, int n)
    {
        var backend = Get(name);
        var a = RandomComplex(n, n, 6000 + n);
        var copy = a.Clone();
        var eig = backend.EigenGeneral(a);
        Assert.Equal(copy, a);
        AssertEigenpairs(a, eig);
    }

    [SkippableTheory, MemberData(nameof(Cases))]
    public void EigenGeneral_Real_SatisfiesEigenEquation_WithConjugatePairs(string name, int n)
    {
        var backend = Get(name);
        var a = RandomReal(n, n, 7000 + n);
        var copy = a.Clone();
        var eig = backend.EigenGeneral(a);
        Assert.Equal(copy, a);
        AssertEigenpairs(a.Map(x => new Complex(x, 0)), eig);
        // Non-real eigenvalues of a real matrix come in conjugate pairs.
        var values = eig.Values;
        Assert.True(MultisetDistance(values, values.Select(Complex.Conjugate).ToArray()) < 1e-9 * Scale(a));
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void EigenGeneral_NonNormalMatrix_KnownEigenvalues(string name)
    {
        var backend = Get(name);
        // Upper triangular: eigenvalues are the diagonal.
        var a = Matrix<Complex>.Build.DenseOfArray(new Complex[,]
        {
            { 1, 5, new Complex(0, 2) },
            { 0, new Complex(0, 3), 7 },
            { 0, 0, -2 },
        });
        var eig = backend.EigenGeneral(a);
        Assert.True(MultisetDistance(eig.Values, [1, new Complex(0, 3), -2]) < 1e-12);
        AssertEigenpairs(a, eig);
        // A rotation generator: eigenvalues ±i.
        var r = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, -1 }, { 1, 0 } });
        var er = backend.EigenGeneral(r);
        Assert.True(MultisetDistance(er.Values, [Complex.ImaginaryOne, -Complex.ImaginaryOne]) < 1e-14);
        AssertEigenpairs(r.Map(x => new Complex(x, 0)), er);
    }

    [SkippableTheory, MemberData(nameof(Backends))]
    public void NonSquareInputs_AreRejected(string name)
    {
        var backend = Get(name);
        Assert.ThrowsAny<ArgumentException>(() => backend.EigenGeneral(RandomComplex(2, 3, 1)));
        Assert.ThrowsAny<ArgumentException>(() => backend.EigenGeneral(RandomReal(2, 3, 1)));
        Assert.ThrowsAny<ArgumentException>(() => backend.EigenHermitian(RandomComplex(2, 3, 1)));
        Assert.ThrowsAny<ArgumentException>(() => backend.Solve(RandomComplex(2, 3, 1), RandomComplexVector(2, 1)));
    }

    internal static void AssertEigenpairs(Matrix<Complex> a, GeneralEigen eig)
    {
        int n = a.RowCount;
        Assert.Equal(n, eig.Values.Length);
        Assert.Equal((n, n), (eig.Vectors.RowCount, eig.Vectors.ColumnCount));
        double scale = Scale(a);
        for (int j = 0; j < n; j++)
        {
            var v = eig.Vectors.Column(j);
            Assert.True(Math.Abs(v.L2Norm() - 1) < 1e-12, $"‖v_{j}‖ = {v.L2Norm()}");
            double residual = (a * v - eig.Values[j] * v).L2Norm();
            Assert.True(residual < 1e-11 * scale, $"‖A v − λ v‖ = {residual} for λ_{j} = {eig.Values[j]}");
        }
    }
}

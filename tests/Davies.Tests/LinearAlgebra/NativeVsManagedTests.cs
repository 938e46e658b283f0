using Davies.LinearAlgebra;
using Xunit.Abstractions;
using static Davies.Tests.LinearAlgebra.TestMatrices;

namespace Davies.Tests.LinearAlgebra;

/// <summary>
/// The native backend agrees with the managed one on the same seeded inputs. Skipped (visibly, with the
/// reason) only when the native libraries are not installed; when their files exist the native backend must load.
/// </summary>
public class NativeVsManagedTests(ITestOutputHelper output)
{
    private static readonly ManagedBackend Managed = ManagedBackend.Instance;

    public static TheoryData<int> SizeData()
    {
        var data = new TheoryData<int>();
        foreach (var n in Sizes) data.Add(n);
        return data;
    }

    private static NativeBackend Native()
    {
        bool loaded = NativeBackend.TryGet(out var native, out var failure);
        Skip.IfNot(loaded, $"native backend unavailable ({failure})");
        return native!;
    }

    private static readonly string[] LibraryDirectories =
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"];

    [SkippableFact]
    public void NativeBackend_Loads_WhenTheSystemLibrariesAreInstalled()
    {
        bool Installed(string file) => LibraryDirectories.Any(d => File.Exists(Path.Combine(d, file)));
        Skip.IfNot(Installed(NativeMethods.OpenBlas), "libopenblas.so.0 not installed");
        Assert.True(NativeBackend.TryGet(out var native, out var failure), $"native backend failed to load: {failure}");
        Assert.True(LinearAlgebraProvider.NativeAvailable);
        output.WriteLine(native.Name);
        Assert.StartsWith("native", native.Name);
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void EigenHermitian_EigenvaluesAgree(int n)
    {
        var native = Native();
        var a = RandomHermitian(n, 11 * n + 1);
        var en = native.EigenHermitian(a);
        var em = Managed.EigenHermitian(a);
        Assert.True(MaxAbsDiff(en.Values, em.Values) < 1e-10 * Scale(a), $"Δλ = {MaxAbsDiff(en.Values, em.Values)}");
        // Eigenvectors agree up to a phase when the spectrum is simple: |⟨v_n, v_m⟩| = 1.
        for (int j = 0; j < n; j++)
        {
            double overlap = en.Vectors.Column(j).ConjugateDotProduct(em.Vectors.Column(j)).Magnitude;
            Assert.True(Math.Abs(overlap - 1) < 1e-8, $"|⟨v_n, v_m⟩| = {overlap} for j = {j}");
        }
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void EigenSymmetric_EigenvaluesAgree(int n)
    {
        var native = Native();
        var a = RandomSymmetric(n, 13 * n + 2);
        var en = native.EigenSymmetric(a);
        var em = Managed.EigenSymmetric(a);
        Assert.True(MaxAbsDiff(en.Values, em.Values) < 1e-10 * Scale(a));
    }

    [SkippableFact]
    public void EigenHermitian_DegenerateSpectrum_EigenvaluesAgree()
    {
        var native = Native();
        var a = Kron(Matrix<Complex>.Build.DenseIdentity(3), RandomHermitian(20, 5));
        var en = native.EigenHermitian(a);
        var em = Managed.EigenHermitian(a);
        Assert.True(MaxAbsDiff(en.Values, em.Values) < 1e-10 * Scale(a));
        // Degenerate eigenspaces are only defined as subspaces: compare the spectral projectors of the first cluster.
        var pn = en.Vectors.SubMatrix(0, 60, 0, 3);
        var pm = em.Vectors.SubMatrix(0, 60, 0, 3);
        Assert.True((pn * pn.ConjugateTranspose() - pm * pm.ConjugateTranspose()).FrobeniusNorm() < 1e-9);
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void Multiply_And_AdjointMultiply_Agree(int n)
    {
        var native = Native();
        var a = RandomComplex(n, n + 2, 17 * n);
        var b = RandomComplex(n + 2, n, 17 * n + 1);
        var c = RandomComplex(n + 2, n + 1, 17 * n + 2);
        double tol = 1e-13 * a.FrobeniusNorm() * b.FrobeniusNorm();
        Assert.True((native.Multiply(a, b) - Managed.Multiply(a, b)).FrobeniusNorm() < tol);
        Assert.True((native.AdjointMultiply(c, b) - Managed.AdjointMultiply(c, b)).FrobeniusNorm()
                    < 1e-13 * c.FrobeniusNorm() * b.FrobeniusNorm());
    }

    [SkippableFact]
    public void Multiply_AcceptsNonDenseStorage()
    {
        var native = Native();
        var d = Matrix<Complex>.Build.DiagonalOfDiagonalArray([1, 2, new Complex(0, 3)]);
        var s = Matrix<Complex>.Build.SparseOfArray(new Complex[,] { { 0, 1, 0 }, { 0, 0, 0 }, { 4, 0, 0 } });
        var b = RandomComplex(3, 4, 3);
        Assert.True((native.Multiply(d, b) - d * b).FrobeniusNorm() < 1e-14);
        Assert.True((native.AdjointMultiply(s, b) - s.ConjugateTranspose() * b).FrobeniusNorm() < 1e-14);
        Assert.True((native.Multiply(b.Transpose(), s) - b.Transpose() * s).FrobeniusNorm() < 1e-14);
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void Solve_Agrees(int n)
    {
        var native = Native();
        var a = RandomComplex(n, n, 19 * n) + 2 * Math.Sqrt(n) * Matrix<Complex>.Build.DenseIdentity(n);
        var b = RandomComplexVector(n, 19 * n + 1);
        var xn = native.Solve(a, b);
        var xm = Managed.Solve(a, b);
        Assert.True((xn - xm).L2Norm() < 1e-10 * xm.L2Norm());

        var ar = RandomReal(n, n, 23 * n) + 2 * Math.Sqrt(n) * Matrix<double>.Build.DenseIdentity(n);
        var br = RandomRealVector(n, 23 * n + 1);
        var xrn = native.Solve(ar, br);
        var xrm = Managed.Solve(ar, br);
        Assert.True((xrn - xrm).L2Norm() < 1e-10 * xrm.L2Norm());
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void Svd_SingularValuesAgree(int n)
    {
        var native = Native();
        var a = RandomComplex(n + 3, n, 29 * n);
        Assert.True(MaxAbsDiff(native.Svd(a).S, Managed.Svd(a).S) < 1e-10 * Scale(a));
        var ar = RandomReal(n, n + 3, 31 * n);
        Assert.True(MaxAbsDiff(native.Svd(ar).S, Managed.Svd(ar).S) < 1e-10 * Scale(ar));
    }

    [SkippableTheory, MemberData(nameof(SizeData))]
    public void EigenGeneral_EigenvaluesAgree(int n)
    {
        var native = Native();
        var a = RandomComplex(n, n, 37 * n);
        var en = native.EigenGeneral(a);
        var em = Managed.EigenGeneral(a);
        Assert.True(MultisetDistance(en.Values, em.Values) < 1e-9 * Scale(a),
            $"Δλ = {MultisetDistance(en.Values, em.Values)}");

        var ar = RandomReal(n, n, 41 * n);
        var ern = native.EigenGeneral(ar);
        var erm = Managed.EigenGeneral(ar);
        Assert.True(MultisetDistance(ern.Values, erm.Values) < 1e-9 * Scale(ar),
            $"Δλ = {MultisetDistance(ern.Values, erm.Values)}");
    }
}

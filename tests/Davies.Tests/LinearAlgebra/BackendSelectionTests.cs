using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>The pure selection rule (no global state, safe to run in parallel).</summary>
public class BackendSelectionTests
{
    private static readonly Func<(ILinearAlgebraBackend?, string?)> Unavailable = () => (null, "cannot load libopenblas.so.0");

    private sealed class FakeNative : ILinearAlgebraBackend
    {
        public string Name => "fake native";
        public HermitianEigen EigenHermitian(Matrix<Complex> a) => throw new NotSupportedException();
        public SymmetricEigen EigenSymmetric(Matrix<double> a) => throw new NotSupportedException();
        public Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b) => throw new NotSupportedException();
        public Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b) => throw new NotSupportedException();
        public Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b) => throw new NotSupportedException();
        public Vector<double> Solve(Matrix<double> a, Vector<double> b) => throw new NotSupportedException();
        public (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a) => throw new NotSupportedException();
        public (double[] S, Matrix<double> U, Matrix<double> VT) Svd(Matrix<double> a) => throw new NotSupportedException();
        public GeneralEigen EigenGeneral(Matrix<Complex> a) => throw new NotSupportedException();
        public Complex[] EigenvaluesGeneral(Matrix<Complex> a) => throw new NotSupportedException();
        public double[] EigenvaluesSymmetric(Matrix<double> a) => throw new NotSupportedException();
        public bool IsPositiveDefinite(Matrix<Complex> a) => throw new NotSupportedException();
        public GeneralEigen EigenGeneral(Matrix<double> a) => throw new NotSupportedException();
        public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b) => throw new NotSupportedException();
        public Matrix<double> TransposeMultiply(Matrix<double> a, Matrix<double> b) => throw new NotSupportedException();
        public Matrix<double> Gram(Matrix<double> a) => throw new NotSupportedException();
        public Matrix<Complex> Gram(Matrix<Complex> a) => throw new NotSupportedException();
    }

    private static readonly FakeNative Fake = new();

    [Theory]
    [InlineData(null, BackendRequest.Auto)]
    [InlineData("", BackendRequest.Auto)]
    [InlineData(" auto ", BackendRequest.Auto)]
    [InlineData("managed", BackendRequest.Managed)]
    [InlineData("MANAGED", BackendRequest.Managed)]
    [InlineData("Native", BackendRequest.Native)]
    public void TryParseRequest_KnownValues(string? value, BackendRequest expected)
    {
        Assert.True(LinearAlgebraProvider.TryParseRequest(value, out var request));
        Assert.Equal(expected, request);
    }

    [Fact]
    public void TryParseRequest_UnknownValue_IsAuto()
    {
        Assert.False(LinearAlgebraProvider.TryParseRequest("mkl", out var request));
        Assert.Equal(BackendRequest.Auto, request);
    }

    [Fact]
    public void Managed_ForcesManaged_WithoutProbingNative()
    {
        bool probed = false;
        var (backend, notice) = LinearAlgebraProvider.Choose("managed", () => { probed = true; return (Fake, null); });
        Assert.Same(ManagedBackend.Instance, backend);
        Assert.Null(notice);
        Assert.False(probed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("native")]
    [InlineData("auto")]
    public void NativeAvailable_IsChosen_Silently(string? env)
    {
        var (backend, notice) = LinearAlgebraProvider.Choose(env, () => (Fake, null));
        Assert.Same(Fake, backend);
        Assert.Null(notice);
    }

    [Fact]
    public void NativeMissing_FallsBackToManaged_WithOneInstallNotice()
    {
        var (backend, notice) = LinearAlgebraProvider.Choose(null, Unavailable);
        Assert.Same(ManagedBackend.Instance, backend);
        Assert.NotNull(notice);
        Assert.StartsWith("davies: native LAPACK/BLAS not found", notice);
        Assert.Contains("libopenblas.so.0", notice);
        Assert.Contains("apt-get install libopenblas0-pthread", notice);
        Assert.DoesNotContain('\n', notice);
    }

    [Fact]
    public void NativeRequestedButMissing_FallsBackToManaged_WithNotice()
    {
        var (backend, notice) = LinearAlgebraProvider.Choose("native", Unavailable);
        Assert.Same(ManagedBackend.Instance, backend);
        Assert.Contains("DAVIES_BACKEND=native was requested", notice);
        Assert.Contains("apt-get install", notice);
    }

    [Fact]
    public void ThrowingProbe_NeverThrows()
    {
        var (backend, notice) = LinearAlgebraProvider.Choose(null, () => throw new DllNotFoundException("boom"));
        Assert.Same(ManagedBackend.Instance, backend);
        Assert.Contains("boom", notice);
    }

    [Fact]
    public void UnknownValue_UsesAuto_AndSaysSo()
    {
        var (backend, notice) = LinearAlgebraProvider.Choose("mkl", () => (Fake, null));
        Assert.Same(Fake, backend);
        Assert.Contains("ignoring unknown DAVIES_BACKEND=mkl", notice);
    }
}

/// <summary>Tests that change process-wide state (environment, <see cref="LinearAlgebraProvider.Current"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProviderGlobalStateCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "LinearAlgebraProvider global state";
}

[Collection(ProviderGlobalStateCollection.Name)]
public class ProviderEnvironmentTests
{
    private static void WithEnvironment(string? value, Action body)
    {
        var savedEnv = Environment.GetEnvironmentVariable(LinearAlgebraProvider.EnvironmentVariable);
        var savedBackend = LinearAlgebraProvider.Current;
        try
        {
            Environment.SetEnvironmentVariable(LinearAlgebraProvider.EnvironmentVariable, value);
            body();
        }
        finally
        {
            Environment.SetEnvironmentVariable(LinearAlgebraProvider.EnvironmentVariable, savedEnv);
            LinearAlgebraProvider.Current = savedBackend;
        }
    }

    [Fact]
    public void EnvironmentManaged_ForcesManagedBackend()
    {
        WithEnvironment("managed", () =>
        {
            Assert.Null(LinearAlgebraProvider.UseBestAvailable());
            Assert.Same(ManagedBackend.Instance, LinearAlgebraProvider.Current);
        });
    }

    [Fact]
    public void EnvironmentUnset_PicksNativeWhenAvailable()
    {
        WithEnvironment(null, () =>
        {
            var notice = LinearAlgebraProvider.UseBestAvailable();
            if (LinearAlgebraProvider.NativeAvailable)
            {
                Assert.IsType<NativeBackend>(LinearAlgebraProvider.Current);
                Assert.Null(notice);
            }
            else
            {
                Assert.Same(ManagedBackend.Instance, LinearAlgebraProvider.Current);
                Assert.Contains("apt-get install", notice);
            }
        });
    }

    [Fact]
    public void EnvironmentNative_PicksNativeWhenAvailable()
    {
        WithEnvironment("native", () =>
        {
            var notice = LinearAlgebraProvider.UseBestAvailable();
            if (LinearAlgebraProvider.NativeAvailable) Assert.IsType<NativeBackend>(LinearAlgebraProvider.Current);
            else Assert.Contains("DAVIES_BACKEND=native was requested", notice);
        });
    }
}

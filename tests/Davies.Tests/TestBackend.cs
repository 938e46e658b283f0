using System.Runtime.CompilerServices;
using Davies.LinearAlgebra;

namespace Davies.Tests;

/// <summary>
/// Runs the whole suite on the backend chosen like the CLI does (native LAPACK when available, or the one forced
/// by DAVIES_BACKEND=managed|native). CI runs the suite once per backend.
/// </summary>
internal static class TestBackend
{
#pragma warning disable CA2255 // module initializer in a test assembly is intended
    [ModuleInitializer]
    internal static void Init() => LinearAlgebraProvider.UseBestAvailable();
#pragma warning restore CA2255
}

using Davies.LinearAlgebra;

namespace Davies.Models;

/// <summary>
/// Rethrows a numerical failure deep inside a solver (a LAPACK error code, a non-converged iteration, a non-finite
/// quadrature or result) as one <see cref="NumericalException"/> that names the model's source file and the stage,
/// without the routine's own message (that stays in <see cref="Exception.InnerException"/>).
/// </summary>
internal static class NumericalGuard
{
    /// <summary>A failure already given its model context; passed through by enclosing guards.</summary>
    private sealed class WithContext(string message, Exception inner) : NumericalException(message, inner);

    /// <summary>Runs <paramref name="body"/>; <paramref name="finite"/> (optional) checks that its result is finite.</summary>
    public static T Run<T>(OpenSystemModel model, string stage, Func<T> body, Func<T, bool>? finite = null)
    {
        T result;
        try
        {
            result = body();
        }
        catch (NumericalException e) when (e is not WithContext)
        {
            string reason = e is LinearAlgebraException
                ? "a dense matrix routine rejected its input or did not converge"
                : e.Message;
            throw new WithContext(Message(model, stage, reason), e);
        }
        catch (MathNet.Numerics.NonConvergenceException e)
        {
            // The managed backend's Math.NET decompositions report non-convergence with their own exception.
            throw new WithContext(Message(model, stage, "a dense matrix routine rejected its input or did not converge"), e);
        }
        if (finite is not null && !finite(result))
            throw new WithContext(Message(model, stage, "the result is not finite (NaN or infinite)"), new NumericalException("non-finite result"));
        return result;
    }

    private static string Message(OpenSystemModel model, string stage, string reason) =>
        $"{(model.SourceName is { } s ? s + ": " : "")}numerical failure while computing the {stage}: {reason}; " +
        "the model's numbers are probably too extreme (see the valid ranges in docs/model-file.md)";

    /// <summary>True when every value is finite.</summary>
    public static bool AllFinite(IEnumerable<double> values) => values.All(double.IsFinite);
}

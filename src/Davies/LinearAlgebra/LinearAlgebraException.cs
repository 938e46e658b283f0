namespace Davies.LinearAlgebra;

/// <summary>
/// A dense linear-algebra kernel failed on its input: a singular system, an eigen or singular-value iteration that
/// did not converge, or an argument the native library rejected.
/// </summary>
public class LinearAlgebraException : NumericalException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public LinearAlgebraException(string message) : base(message) { }
}

namespace Davies;

/// <summary>
/// Base class of every exception Davies throws on purpose. Its message is meant for the end user: it names the
/// problem and where it is (a file, a field, a bath, a site). The command-line tool prints it and exits with code 2.
/// </summary>
public class DaviesException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public DaviesException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public DaviesException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An invalid model: a non-Hermitian Hamiltonian, a coupling of the wrong dimension, a bad bath, ….</summary>
public class ModelException : DaviesException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public ModelException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A model file that cannot be read or parsed (missing, empty, malformed, wrong field types).</summary>
public class ModelFileException : ModelException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelFileException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public ModelFileException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A rate that the physics makes infinite, e.g. the ω → 0 limit G(0) of a sub-Ohmic bath (exponent &lt; 1) at
/// T &gt; 0, needed whenever a coupling has a non-zero ω = 0 (dephasing) component.
/// </summary>
public class DivergentRateException : DaviesException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public DivergentRateException(string message) : base(message) { }
}

/// <summary>
/// A computation refused before it starts because it would need more memory than is available (or than the limit
/// set with <see cref="Solvers.MemoryBudget"/>): the message names the stage, its size and the estimate. Also thrown
/// when a structured solver meets a block it cannot handle within the limits.
/// </summary>
public class ResourceLimitException : DaviesException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ResourceLimitException(string message) : base(message) { }
}

/// <summary>
/// A numerical step failed: a dense matrix routine rejected its input or did not converge, a quadrature overflowed,
/// or a result is not finite. Model files are checked against ranges that avoid this (docs/model-file.md, "Valid
/// ranges and limits"); the solvers rethrow it with the model's source file and the stage that failed, the original
/// failure as <see cref="Exception.InnerException"/>.
/// </summary>
public class NumericalException : DaviesException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public NumericalException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public NumericalException(string message, Exception inner) : base(message, inner) { }
}

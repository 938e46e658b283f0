namespace Davies.Models;

/// <summary>A parameter declared in a model file's <c>parameters</c> mapping.</summary>
/// <param name="Name">Its name, as expressions refer to it.</param>
/// <param name="Value">Its value: the file's definition evaluated, or the value it was given.</param>
/// <param name="Definition">The definition as the file writes it: a number or an expression over other parameters.</param>
public sealed record ModelParameter(string Name, double Value, string Definition);

/// <summary>
/// A model file read once and built at any values of its parameters (docs/model-file.md, "Parameters and
/// expressions"): the document is parsed once, and each <see cref="Instantiate"/> evaluates the parameters, every
/// expression and every check of the schema anew. A parameter sweep builds one model per point this way. Operator
/// strings ("Z0 Z1"), which do not depend on the parameters, are built once per template and copied into each model.
/// Thread-safe: instances share the immutable document and the operator cache.
/// </summary>
public sealed class ModelTemplate
{
    private readonly MappingNode _root;

    internal ModelTemplate(MappingNode root, string sourceName)
    {
        _root = root;
        SourceName = sourceName;
        Parameters = new ModelFileReader(sourceName).Parameters(root);
    }

    /// <summary>The name that starts every error message (usually the file's path).</summary>
    public string SourceName { get; }

    /// <summary>The declared parameters with their values in the file, in the order the file declares them.</summary>
    public IReadOnlyList<ModelParameter> Parameters { get; }

    /// <summary>
    /// Builds the model with some parameters set to the given values (the others keep the file's definitions, which may
    /// refer to the set ones). An empty or null <paramref name="parameters"/> gives the model the file describes.
    /// </summary>
    /// <exception cref="ModelFileException">A name is not a declared parameter, or a value is not finite, or the file does not follow the schema.</exception>
    /// <exception cref="ModelException">The model at these values is invalid (e.g. a negative temperature).</exception>
    public OpenSystemModel Instantiate(IReadOnlyDictionary<string, double>? parameters = null) =>
        new ModelFileReader(SourceName, parameters) { _operatorCache = _operators }.Build(_root);

    /// <summary>The operator strings parsed so far (they do not depend on the parameters, only on the text and the sites).</summary>
    private readonly OperatorCache _operators = new();
}

/// <summary>
/// Operator strings parsed by the instantiations of one <see cref="ModelTemplate"/>, keyed by text and sites: each
/// instantiation gets a copy (its matrices are its own). Only up to <see cref="BudgetBytes"/> of dense matrices are
/// kept (at d = 256 a matrix is 1 MiB, so a chain's ~30 strings fit; for large d, where building a string costs
/// little beside the eigendecomposition, the cache would double the operators' memory, and it stops taking entries).
/// </summary>
internal sealed class OperatorCache(long budgetBytes = OperatorCache.BudgetBytes)
{
    /// <summary>The most bytes of dense complex matrices kept.</summary>
    public const long BudgetBytes = 64L << 20;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Text, Spaces.HilbertSpace Space), Matrix<Complex>> _map = new();
    private long _bytes;

    /// <summary>Operators kept.</summary>
    public int Count => _map.Count;

    /// <summary>The operator of <paramref name="text"/> on <paramref name="space"/>: a copy of the cached one, or parsed now.</summary>
    public Matrix<Complex> Get(string text, Spaces.HilbertSpace space)
    {
        if (_map.TryGetValue((text, space), out var cached)) return cached.Clone();
        var built = Operators.OperatorParser.Parse(text, space);
        long size = (long)space.Dimension * space.Dimension * 16;
        if (Interlocked.Add(ref _bytes, size) <= budgetBytes)
        {
            if (!_map.TryAdd((text, space), built.Clone())) Interlocked.Add(ref _bytes, -size);
        }
        else Interlocked.Add(ref _bytes, -size);
        return built;
    }
}

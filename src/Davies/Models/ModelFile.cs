namespace Davies.Models;

/// <summary>The syntax of a model file; both share one schema (see docs/model-file.md).</summary>
public enum ModelFileFormat
{
    /// <summary>JSON (<c>.json</c>); comments and trailing commas are tolerated.</summary>
    Json,

    /// <summary>YAML (<c>.yaml</c>, <c>.yml</c>), a single document.</summary>
    Yaml,
}

/// <summary>
/// Reads model files (JSON or YAML, one schema) into a validated <see cref="OpenSystemModel"/>. Every error is a
/// one-line message of the form <c>&lt;file&gt;: &lt;field path&gt; (line N): &lt;problem&gt;</c>, e.g.
/// <c>model.yaml: baths[1].spectrum.eta (line 12): must be a positive number, got -1</c>.
/// A <see cref="ModelFileException"/> means the file cannot be read or does not follow the schema (missing or empty
/// file, malformed syntax, wrong types, unknown or missing keys, NaN/infinite numbers, unknown names such as a spectrum
/// type); a plain <see cref="ModelException"/> means the content is physically or mathematically invalid
/// (non-Hermitian Hamiltonian, negative temperature, bad operator string, wrong dimension, …).
/// </summary>
public static class ModelFile
{
    /// <summary>Reads the model file at <paramref name="path"/>; the format follows the extension (.json, .yaml, .yml).</summary>
    /// <exception cref="ModelFileException">
    /// The file is missing, unreadable, larger than <see cref="ModelLimits.MaxFileBytes"/>, has an unknown extension, or
    /// is malformed.
    /// </exception>
    /// <exception cref="ModelException">The model it describes is invalid.</exception>
    public static OpenSystemModel Load(string path) => Load(path, null);

    /// <summary>
    /// Reads the model file at <paramref name="path"/> with some of its declared parameters set to the given values
    /// (the command line's <c>--set name=value</c>); see <see cref="ModelTemplate.Instantiate"/>.
    /// </summary>
    /// <exception cref="ModelFileException">
    /// The file cannot be read or is malformed, or a name in <paramref name="parameters"/> is not a declared parameter.
    /// </exception>
    /// <exception cref="ModelException">The model it describes is invalid at these values.</exception>
    public static OpenSystemModel Load(string path, IReadOnlyDictionary<string, double>? parameters) =>
        new ModelFileReader(path, parameters).Build(ReadTree(path));

    /// <summary>
    /// Reads the model file at <paramref name="path"/> once, to build it at many values of its parameters
    /// (<see cref="ModelTemplate.Instantiate"/>) or to list them (<see cref="ModelTemplate.Parameters"/>).
    /// </summary>
    /// <exception cref="ModelFileException">The file cannot be read or is malformed, or its parameters are invalid.</exception>
    public static ModelTemplate LoadTemplate(string path) => new(ReadTree(path), path);

    /// <summary>Parses model-file text into a <see cref="ModelTemplate"/>; <paramref name="sourceName"/> starts every error message.</summary>
    /// <exception cref="ModelFileException">The text is empty or malformed, or its parameters are invalid.</exception>
    public static ModelTemplate ParseTemplate(string text, ModelFileFormat format, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new(new ModelFileReader(sourceName).Parse(text, format), sourceName);
    }

    private static MappingNode ReadTree(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = FormatOf(path);
        if (Directory.Exists(path)) throw new ModelFileException($"{path}: is a directory, not a model file");
        if (!File.Exists(path)) throw new ModelFileException($"{path}: file not found");
        string text;
        try
        {
            text = ReadBounded(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"{path}: cannot read the file: {ex.Message}", ex);
        }
        return new ModelFileReader(path).Parse(text, format);
    }

    /// <summary>
    /// Reads at most <see cref="ModelLimits.MaxFileBytes"/> bytes (the length a device such as /dev/zero reports is not
    /// trusted) and decodes them as UTF-8 (or the encoding of a byte-order mark), as <see cref="File.ReadAllText(string)"/>.
    /// </summary>
    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > ModelLimits.MaxFileBytes) throw TooLarge(path);
        // a chunk the size of the file (a model file is a few KiB: 80 KiB of fresh memory would be 20 page faults)
        int size = stream.CanSeek ? (int)Math.Clamp(stream.Length + 1, 4096, 81920) : 81920;
        var buffer = new MemoryStream(size);
        var chunk = new byte[size];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > ModelLimits.MaxFileBytes) throw TooLarge(path);
        }
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static ModelFileException TooLarge(string path) =>
        new($"{path}: the file is larger than {ModelLimits.MaxFileBytes / (1024 * 1024)} MiB; model files are limited to " +
            $"{ModelLimits.MaxFileBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes");

    /// <summary>
    /// Parses model-file text. <paramref name="sourceName"/> (usually the path) starts every error message.
    /// </summary>
    /// <exception cref="ModelFileException">The text is empty, malformed, or does not follow the schema.</exception>
    /// <exception cref="ModelException">The model it describes is invalid.</exception>
    public static OpenSystemModel Parse(string text, ModelFileFormat format, string sourceName) => Parse(text, format, sourceName, null);

    /// <summary>
    /// Parses model-file text with some of its declared parameters set to the given values; see
    /// <see cref="Load(string, IReadOnlyDictionary{string, double})"/>.
    /// </summary>
    /// <exception cref="ModelFileException">The text is empty, malformed, does not follow the schema, or sets an undeclared parameter.</exception>
    /// <exception cref="ModelException">The model it describes is invalid at these values.</exception>
    public static OpenSystemModel Parse(string text, ModelFileFormat format, string sourceName, IReadOnlyDictionary<string, double>? parameters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new ModelFileReader(sourceName, parameters).Read(text, format);
    }

    /// <summary>The format implied by a file name's extension (case-insensitive).</summary>
    /// <exception cref="ModelFileException">The extension is not .json, .yaml or .yml.</exception>
    public static ModelFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".json" => ModelFileFormat.Json,
            ".yaml" or ".yml" => ModelFileFormat.Yaml,
            _ => throw new ModelFileException($"{path}: unknown model-file extension '{ext}'; use .json, .yaml or .yml"),
        };
    }
}

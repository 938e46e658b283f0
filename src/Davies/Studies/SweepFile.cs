using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Davies.Studies;

/// <summary>
/// What a sweep is: the model (file name and SHA-256 of its bytes), the grid, the quantities and the settings that
/// change the numbers (e.g. evolve's --initial and --times). It is the first line of an output file; two files belong
/// to the same sweep exactly when their header lines are equal, which --resume and merge check.
/// </summary>
/// <param name="Model">The model file's name (without its directory, so that shards run from anywhere agree).</param>
/// <param name="ModelSha256">The SHA-256 of the model file's bytes, lowercase hex.</param>
/// <param name="Grid">The points.</param>
/// <param name="Quantities">The quantities, by their JSON paths.</param>
/// <param name="Settings">Other settings that change the numbers, as name/value pairs in a fixed order.</param>
public sealed record SweepHeader(string Model, string ModelSha256, SweepGrid Grid, IReadOnlyList<string> Quantities,
    IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    /// <summary>The format version written as <c>davies_sweep</c>.</summary>
    public const int Version = 1;

    /// <summary>The header of a sweep of the model file at <paramref name="modelPath"/> (its bytes are hashed).</summary>
    /// <exception cref="SweepException">The model file cannot be read.</exception>
    public static SweepHeader For(string modelPath, SweepGrid grid, IReadOnlyList<string> quantities, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        byte[] hash;
        try
        {
            using var stream = File.OpenRead(modelPath);
            hash = SHA256.HashData(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{modelPath}: cannot read the model file: {e.Message}", e);
        }
        return new SweepHeader(Path.GetFileName(modelPath), Convert.ToHexStringLower(hash), grid, quantities, settings);
    }

    /// <summary>The header as one line of JSON (no line break).</summary>
    public string ToJsonLine() => SweepFile.Json(w =>
    {
        w.WriteNumber("davies_sweep", Version);
        w.WriteString("model", Model);
        w.WriteString("model_sha256", ModelSha256);
        w.WriteStartArray("parameters");
        foreach (var a in Grid.Axes)
        {
            w.WriteStartObject();
            w.WriteString("name", a.Name);
            w.WriteString("spec", a.Spec);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean("zip", Grid.Zipped);
        w.WriteStartArray("quantities");
        foreach (var q in Quantities) w.WriteStringValue(q);
        w.WriteEndArray();
        w.WriteStartObject("settings");
        foreach (var (k, v) in Settings) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteNumber("points", Grid.Count);
    });

    /// <summary>Reads a header line (<paramref name="where"/> names it in messages).</summary>
    /// <exception cref="SweepException">The line is not the header of a Davies sweep output.</exception>
    public static SweepHeader Parse(string line, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("davies_sweep", out var version))
                throw new SweepException($"{where}: not the output of davies sweep (its first line is not a sweep header)");
            if (version.GetInt32() != Version)
                throw new SweepException($"{where}: written in sweep format {version.GetInt32()}; this davies reads format {Version}");
            var axes = r.GetProperty("parameters").EnumerateArray()
                .Select(a => SweepAxis.Parse(a.GetProperty("name").GetString()!, a.GetProperty("spec").GetString()!)).ToArray();
            var grid = r.GetProperty("zip").GetBoolean() ? SweepGrid.Zip(axes) : SweepGrid.Cartesian(axes);
            if (grid.Count != r.GetProperty("points").GetInt32())
                throw new SweepException($"{where}: the header says {r.GetProperty("points").GetInt32()} points, but its parameters make {grid.Count}");
            return new SweepHeader(r.GetProperty("model").GetString()!, r.GetProperty("model_sha256").GetString()!, grid,
                r.GetProperty("quantities").EnumerateArray().Select(q => q.GetString()!).ToArray(),
                r.GetProperty("settings").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)).ToArray());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SweepException($"{where}: not the output of davies sweep (its first line is not a valid sweep header: {e.Message.Split('\n')[0]})", e);
        }
    }
}

/// <summary>
/// The output file of a sweep (docs/sweeps.md): JSON Lines, the <see cref="SweepHeader"/> first, then one line per
/// point, <c>{"point": i, "values": {name: v}, "quantities": {path: q}, "error": null | "message"}</c>, numbers in their
/// shortest round-trip form (invariant culture; non-finite numbers are null), so that the same numbers always give the
/// same bytes. A finished file lists its points in grid order; merge (<see cref="Merge"/>) of shard files gives exactly
/// the file of the unsharded run.
/// </summary>
public static class SweepFile
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A number as output files write it: shortest round-trip ("R"), invariant; "null" when not finite.</summary>
    public static string Number(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "null";

    internal static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The line of one point (no line break).</summary>
    public static string FormatRow(SweepHeader header, SweepPointResult row)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(row);
        return Json(w =>
        {
            w.WriteNumber("point", row.Index);
            w.WriteStartObject("values");
            for (int a = 0; a < header.Grid.Axes.Count; a++)
            {
                w.WritePropertyName(header.Grid.Axes[a].Name);
                w.WriteRawValue(Number(row.Values[a]));
            }
            w.WriteEndObject();
            w.WriteStartObject("quantities");
            for (int q = 0; q < header.Quantities.Count; q++)
            {
                w.WritePropertyName(header.Quantities[q]);
                w.WriteRawValue(q < row.Quantities.Count ? Number(row.Quantities[q]) : "null");
            }
            w.WriteEndObject();
            if (row.Error is null) w.WriteNull("error");
            else w.WriteString("error", row.Error);
        });
    }

    /// <summary>Reads one point's line and checks it against the header (the point's values must be the grid's).</summary>
    /// <exception cref="SweepException">The line is malformed or does not belong to this sweep.</exception>
    public static SweepPointResult ParseRow(SweepHeader header, string line, string where)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            int p = r.GetProperty("point").GetInt32();
            if (p < 0 || p >= header.Grid.Count)
                throw new SweepException($"{where}: point {p} is outside the sweep's {header.Grid.Count} points");
            var expected = header.Grid.ValuesAt(p);
            var values = r.GetProperty("values").EnumerateObject().ToArray();
            if (values.Length != expected.Length || values.Where((v, a) => v.Name != header.Grid.Axes[a].Name || v.Value.GetDouble() != expected[a]).Any())
                throw new SweepException($"{where}: point {p} has the values {string.Join(", ", values.Select(v => $"{v.Name} = {v.Value.GetRawText()}"))}, " +
                                         $"but the sweep's point {p} is {header.Grid.Describe(p)}");
            var qs = r.GetProperty("quantities").EnumerateObject().ToArray();
            if (!qs.Select(q => q.Name).SequenceEqual(header.Quantities))
                throw new SweepException($"{where}: point {p} has the quantities {string.Join(", ", qs.Select(q => q.Name))}, but the header names {string.Join(", ", header.Quantities)}");
            var error = r.GetProperty("error");
            string? message = error.ValueKind == JsonValueKind.Null ? null : error.GetString();
            var quantities = message is null
                ? qs.Select(q => q.Value.ValueKind == JsonValueKind.Null ? double.NaN : q.Value.GetDouble()).ToArray()
                : [];
            return new SweepPointResult(p, expected, quantities, message);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SweepException($"{where}: not a line of a sweep output ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Reads an output file: its header and its points in file order (a last line cut short is left out).</summary>
    /// <exception cref="SweepException">The file is missing, unreadable, or not a sweep output.</exception>
    public static (SweepHeader Header, IReadOnlyList<SweepPointResult> Rows) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new SweepException($"{path}: file not found");
        var (lines, _) = ReadLines(path);
        if (lines.Count == 0) throw new SweepException($"{path}: empty: not the output of davies sweep");
        var header = SweepHeader.Parse(lines[0], path);
        var rows = new List<SweepPointResult>(lines.Count - 1);
        for (int i = 1; i < lines.Count; i++) rows.Add(ParseRow(header, lines[i], $"{path} (line {i + 1})"));
        return (header, rows);
    }

    /// <summary>
    /// The complete lines of a file and whether a last line was cut short (a process killed while writing it): that
    /// line is not returned.
    /// </summary>
    internal static (List<string> Lines, long CompleteLength) ReadLines(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{path}: cannot read the file: {e.Message}", e);
        }
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var text = Encoding.UTF8.GetString(bytes, 0, end);
        var lines = text.Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1); // after the last '\n'
        return (lines, end);
    }

    /// <summary>The first field in which two header lines differ, for "a different sweep" messages (naming both sides).</summary>
    internal static string Difference(string here, string there, string hereName, string thereName)
    {
        try
        {
            using var a = JsonDocument.Parse(here);
            using var b = JsonDocument.Parse(there);
            foreach (var p in a.RootElement.EnumerateObject())
            {
                string other = b.RootElement.TryGetProperty(p.Name, out var q) ? q.GetRawText() : "nothing";
                if (p.Value.GetRawText() == other) continue;
                return p.Name == "model_sha256"
                    ? "the model file's contents differ (SHA-256)"
                    : $"{p.Name} is {p.Value.GetRawText()} in {hereName} and {other} in {thereName}";
            }
        }
        catch (JsonException)
        {
            return "the first line is not a sweep header";
        }
        return "the headers differ";
    }

    /// <summary>
    /// Merges the output files of the shards of one sweep into <paramref name="output"/>: exactly the file the unsharded
    /// run writes (header, then every point once in grid order; each line copied as it is). The inputs must share
    /// their header; a point that no input holds, or that two hold, is an error naming it. A last line cut short in an
    /// input (a killed shard) counts as missing. The output is written to a temporary file and renamed, so it may be one
    /// of the inputs.
    /// </summary>
    /// <returns>The merged sweep's header.</returns>
    /// <exception cref="SweepException">No input, a file that is not a sweep output, different sweeps, a missing or duplicated point.</exception>
    public static SweepHeader Merge(IReadOnlyList<string> inputs, string output)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        if (inputs.Count == 0) throw new SweepException("merge: give the output files of the shards to merge");
        string? headerLine = null;
        SweepHeader? header = null;
        string first = inputs[0];
        var rows = new Dictionary<int, (string Line, string Where)>();
        foreach (var input in inputs)
        {
            if (!File.Exists(input)) throw new SweepException($"{input}: file not found");
            var (lines, _) = ReadLines(input);
            if (lines.Count == 0) throw new SweepException($"{input}: empty: not the output of davies sweep");
            if (headerLine is null)
            {
                header = SweepHeader.Parse(lines[0], input);
                headerLine = lines[0];
            }
            else if (lines[0] != headerLine)
            {
                SweepHeader.Parse(lines[0], input);
                throw new SweepException($"{input} and {first} are outputs of different sweeps: {Difference(lines[0], headerLine, input, first)}");
            }
            for (int i = 1; i < lines.Count; i++)
            {
                string where = $"{input} (line {i + 1})";
                var row = ParseRow(header!, lines[i], where);
                if (rows.TryGetValue(row.Index, out var seen))
                    throw new SweepException($"point {row.Index} ({header!.Grid.Describe(row.Index)}) is duplicated: in {seen.Where} and in {where}");
                rows[row.Index] = (lines[i], where);
            }
        }
        var missing = Enumerable.Range(0, header!.Grid.Count).Where(p => !rows.ContainsKey(p)).ToArray();
        if (missing.Length > 0)
        {
            string some = string.Join("; ", missing.Take(5).Select(p => $"point {p} ({header.Grid.Describe(p)})"));
            throw new SweepException($"{missing.Length} of {header.Grid.Count} points are missing from every input: {some}{(missing.Length > 5 ? "; …" : "")} " +
                                     "(a shard not run, not finished, or not given to merge?)");
        }
        WriteAtomically(output, headerLine!, rows.OrderBy(r => r.Key).Select(r => r.Value.Line));
        return header;
    }

    /// <summary>Writes the lines to a temporary file next to <paramref name="path"/> and renames it over <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, string headerLine, IEnumerable<string> rows)
    {
        string tmp = path + ".tmp";
        try
        {
            using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                w.Write(headerLine);
                w.Write('\n');
                foreach (var line in rows)
                {
                    w.Write(line);
                    w.Write('\n');
                }
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{path}: cannot write the file: {e.Message}", e);
        }
    }
}

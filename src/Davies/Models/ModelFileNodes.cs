using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Davies.Models;

// A small format-neutral document tree: JSON and YAML are both read into it, and one schema reader
// (ModelFileReader) walks it. Line numbers are 1-based and kept for every node.

internal enum ScalarKind { String, Number, Bool, Null }

internal abstract class Node(int? line)
{
    public int? Line { get; } = line;

    /// <summary>A short description for "expected …, got …" messages.</summary>
    public abstract string Describe();
}

internal sealed class ScalarNode(ScalarKind kind, string text, double number, bool boolean, int? line) : Node(line)
{
    public ScalarKind Kind { get; } = kind;
    public string Text { get; } = text;
    public double Number { get; } = number;
    public bool Boolean { get; } = boolean;

    public override string Describe() => Kind switch
    {
        ScalarKind.String => $"the string \"{Shorten(Text)}\"",
        ScalarKind.Number => $"the number {Text}",
        ScalarKind.Bool => Boolean ? "true" : "false",
        _ => "null",
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "…";
}

internal sealed class SequenceNode(IReadOnlyList<Node> items, int? line) : Node(line)
{
    public IReadOnlyList<Node> Items { get; } = items;
    public override string Describe() => $"a list of {Items.Count} item{(Items.Count == 1 ? "" : "s")}";
}

internal sealed class MappingNode(IReadOnlyList<KeyValuePair<string, Node>> entries, int? line) : Node(line)
{
    public IReadOnlyList<KeyValuePair<string, Node>> Entries { get; } = entries;
    public override string Describe() => "a mapping";
}

/// <summary>Thrown by the two front ends; carries a position and is turned into a <see cref="ModelFileException"/>.</summary>
internal sealed class SyntaxError(string message, int? line, int? column) : Exception(message)
{
    public int? Line { get; } = line;
    public int? Column { get; } = column;
}

internal static class JsonFrontEnd
{
    /// <summary>Parses JSON (comments and trailing commas allowed) into a node tree with line numbers.</summary>
    public static Node Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read()) throw new SyntaxError("malformed JSON: no value found", null, null);
            var root = ReadValue(ref reader, lineStarts);
            if (reader.Read()) throw new SyntaxError("malformed JSON: unexpected content after the top-level value", LineOf(reader.TokenStartIndex, lineStarts), null);
            return root;
        }
        catch (JsonException ex)
        {
            string msg = ex.Message;
            int cut = msg.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) msg = msg[..cut];
            int? line = ex.LineNumber is { } l ? (int)l + 1 : null;
            int? col = ex.BytePositionInLine is { } c ? (int)c + 1 : null;
            throw new SyntaxError("malformed JSON: " + msg.Trim(), line, col);
        }
    }

    private static int LineOf(long offset, List<int> lineStarts)
    {
        int idx = lineStarts.BinarySearch((int)offset);
        return (idx >= 0 ? idx : ~idx - 1) + 1;
    }

    private static Node ReadValue(ref Utf8JsonReader reader, List<int> lineStarts)
    {
        int line = LineOf(reader.TokenStartIndex, lineStarts);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var entries = new List<KeyValuePair<string, Node>>();
                var seen = new HashSet<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string key = reader.GetString()!;
                    int keyLine = LineOf(reader.TokenStartIndex, lineStarts);
                    if (!seen.Add(key)) throw new SyntaxError($"malformed JSON: duplicate key \"{key}\"", keyLine, null);
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, lineStarts)));
                }
                return new MappingNode(entries, line);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<Node>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref reader, lineStarts));
                return new SequenceNode(items, line);
            }
            case JsonTokenType.String:
                return new ScalarNode(ScalarKind.String, reader.GetString()!, double.NaN, false, line);
            case JsonTokenType.Number:
            {
                string raw = Encoding.UTF8.GetString(reader.ValueSpan);
                double value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                return new ScalarNode(ScalarKind.Number, raw, value, false, line);
            }
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new ScalarNode(ScalarKind.Bool, reader.TokenType == JsonTokenType.True ? "true" : "false", double.NaN, reader.TokenType == JsonTokenType.True, line);
            case JsonTokenType.Null:
                return new ScalarNode(ScalarKind.Null, "null", double.NaN, false, line);
            default:
                throw new SyntaxError($"malformed JSON: unexpected token {reader.TokenType}", line, null);
        }
    }
}

internal static partial class YamlFrontEnd
{
    /// <summary>Parses a single YAML document into a node tree (YAML 1.2 core schema for plain scalars).</summary>
    public static Node? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            string msg = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            int cut = msg.IndexOf("): ", StringComparison.Ordinal);
            if (msg.StartsWith("(Line", StringComparison.Ordinal) && cut > 0) msg = msg[(cut + 3)..];
            var mark = ex.InnerException is YamlException i2 ? i2.Start : ex.Start;
            throw new SyntaxError("malformed YAML: " + msg.Replace('\n', ' ').Replace('\r', ' ').Trim(), (int)mark.Line, (int)mark.Column);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet occasionally fails with a non-YAML exception on malformed input (e.g. an unclosed flow
            // sequence); rescan to find where the scanner stopped.
            var (line, column) = ScannerStopPosition(text);
            throw new SyntaxError("malformed YAML: the document cannot be scanned here (check for an unclosed [ or { or a missing quote)", line, column);
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
            throw new SyntaxError($"malformed YAML: the file holds {stream.Documents.Count} documents; a model file holds exactly one", (int)stream.Documents[1].RootNode.Start.Line, null);
        return Convert(stream.Documents[0].RootNode);
    }

    private static (int? Line, int? Column) ScannerStopPosition(string text)
    {
        var scanner = new Scanner(new StringReader(text));
        Mark? last = null;
        try
        {
            while (scanner.MoveNext()) last = scanner.Current?.Start;
        }
        catch (Exception)
        {
            last = scanner.CurrentPosition;
        }
        return last is { } m ? ((int)m.Line, (int)m.Column) : (null, null);
    }

    private static Node Convert(YamlNode node)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
            {
                var entries = new List<KeyValuePair<string, Node>>();
                var seen = new HashSet<string>();
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode ks || ks.Value is null)
                        throw new SyntaxError("malformed YAML: mapping keys must be plain strings", (int)k.Start.Line, (int)k.Start.Column);
                    if (!seen.Add(ks.Value)) throw new SyntaxError($"malformed YAML: duplicate key '{ks.Value}'", (int)k.Start.Line, (int)k.Start.Column);
                    entries.Add(new(ks.Value, Convert(v)));
                }
                return new MappingNode(entries, line);
            }
            case YamlSequenceNode seq:
                return new SequenceNode(seq.Children.Select(Convert).ToList(), line);
            case YamlScalarNode s:
                return ConvertScalar(s, line);
            default:
                throw new SyntaxError($"malformed YAML: unsupported node {node.NodeType}", line, null);
        }
    }

    private static ScalarNode ConvertScalar(YamlScalarNode s, int line)
    {
        string text = s.Value ?? "";
        string tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
        bool plain = s.Style is ScalarStyle.Plain or ScalarStyle.Any;
        if (tag == "tag:yaml.org,2002:str" || (!plain && tag is "" or "!"))
            return new ScalarNode(ScalarKind.String, text, double.NaN, false, line);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return new ScalarNode(ScalarKind.Null, text, double.NaN, false, line);
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return new ScalarNode(ScalarKind.Bool, text, double.NaN, text[0] is 't' or 'T', line);
        if (TryNumber(text, out double value))
            return new ScalarNode(ScalarKind.Number, text, value, false, line);
        return new ScalarNode(ScalarKind.String, text, double.NaN, false, line);
    }

    private static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case ".nan" or ".NaN" or ".NAN": value = double.NaN; return true;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": value = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF": value = double.NegativeInfinity; return true;
        }
        if (DecimalNumber().IsMatch(text))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
        {
            value = hex;
            return true;
        }
        value = double.NaN;
        return false;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();
}

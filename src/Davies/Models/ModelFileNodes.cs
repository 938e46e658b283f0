using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

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

/// <summary>Counts the values a front end creates against <see cref="ModelLimits.MaxNodes"/>.</summary>
internal sealed class NodeBudget
{
    private long _count;

    public void Add(int? line, int? column)
    {
        if (++_count > ModelLimits.MaxNodes)
            throw new SyntaxError($"the file holds more than {ModelLimits.MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} values (scalars, lists and mappings); model files are limited to that many", line, column);
    }
}

internal static class JsonFrontEnd
{
    /// <summary>Parses JSON (comments and trailing commas allowed) into a node tree with line numbers.</summary>
    public static Node Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = ModelLimits.MaxNestingDepth });
        try
        {
            if (!reader.Read()) throw new SyntaxError("malformed JSON: no value found", null, null);
            var root = ReadValue(ref reader, lineStarts, new NodeBudget());
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

    private static Node ReadValue(ref Utf8JsonReader reader, List<int> lineStarts, NodeBudget budget)
    {
        int line = LineOf(reader.TokenStartIndex, lineStarts);
        budget.Add(line, null);
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
                    budget.Add(keyLine, null);
                    entries.Add(new(key, ReadValue(ref reader, lineStarts, budget)));
                }
                return new MappingNode(entries, line);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<Node>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref reader, lineStarts, budget));
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
    /// <summary>
    /// Parses a single YAML document into a node tree (YAML 1.2 core schema for plain scalars), from YamlDotNet's
    /// event stream: nesting deeper than <see cref="ModelLimits.MaxNestingDepth"/> and aliases that expand to more
    /// than <see cref="ModelLimits.MaxAliasNodes"/> nodes in total are errors, and an alias shares the anchored node
    /// instead of copying it. The values of top-level keys outside <paramref name="topLevelKeys"/> are skipped (not
    /// built, their aliases not expanded) and read as null, so that the schema reports the unknown key.
    /// </summary>
    public static Node? Parse(string text, IReadOnlyCollection<string>? topLevelKeys = null)
    {
        try
        {
            return new EventReader(new Parser(new StringReader(text)), topLevelKeys).ReadStream();
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
    }

    /// <summary>Builds nodes from the parser's events, counting nesting depth and alias expansion.</summary>
    private sealed class EventReader(IParser parser, IReadOnlyCollection<string>? topLevelKeys)
    {
        /// <summary>An anchored node with its expanded size (nodes, aliases counted in full) and height.</summary>
        private readonly record struct Anchored(Node Node, long Size, int Height);

        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private readonly NodeBudget _budget = new();
        private long _aliasNodes;

        public Node? ReadStream()
        {
            Expect<StreamStart>();
            if (parser.Current is StreamEnd) return null;
            Expect<DocumentStart>();
            var (root, _, _) = ReadNode(1, topLevel: true);
            Expect<DocumentEnd>();
            if (parser.Current is DocumentStart second)
                throw new SyntaxError("malformed YAML: the file holds more than one document; a model file holds exactly one", (int)second.Start.Line, null);
            return root;
        }

        private T Expect<T>() where T : ParsingEvent
        {
            if (parser.Current is null && !parser.MoveNext()) throw new SyntaxError("malformed YAML: unexpected end of the file", null, null);
            if (parser.Current is not T e)
                throw new SyntaxError($"malformed YAML: unexpected {parser.Current?.GetType().Name}", (int?)parser.Current?.Start.Line, (int?)parser.Current?.Start.Column);
            parser.MoveNext();
            return e;
        }

        private ParsingEvent Peek()
        {
            if (parser.Current is null && !parser.MoveNext()) throw new SyntaxError("malformed YAML: unexpected end of the file", null, null);
            return parser.Current!;
        }

        private static SyntaxError TooDeep(ParsingEvent e) =>
            new($"malformed YAML: the document is nested more than {ModelLimits.MaxNestingDepth} levels deep (lists and mappings inside each other); model files need only a few levels", (int)e.Start.Line, (int)e.Start.Column);

        /// <summary>Reads the node starting at the current event, at nesting depth <paramref name="depth"/> (root = 1).</summary>
        private (Node Node, long Size, int Height) ReadNode(int depth, bool topLevel = false)
        {
            var e = Peek();
            if (depth > ModelLimits.MaxNestingDepth) throw TooDeep(e);
            int line = (int)e.Start.Line;
            if (e is not AnchorAlias) _budget.Add(line, (int)e.Start.Column);
            switch (e)
            {
                case AnchorAlias alias:
                {
                    parser.MoveNext();
                    string name = alias.Value.Value;
                    if (!_anchors.TryGetValue(name, out var target))
                        throw new SyntaxError($"malformed YAML: the alias *{name} refers to no anchor &{name} defined before it", line, (int)e.Start.Column);
                    if (depth - 1 + target.Height > ModelLimits.MaxNestingDepth) throw TooDeep(e);
                    _aliasNodes += target.Size;
                    if (_aliasNodes > ModelLimits.MaxAliasNodes)
                        throw new SyntaxError($"malformed YAML: aliases expand to more than {ModelLimits.MaxAliasNodes.ToString("N0", CultureInfo.InvariantCulture)} nodes in total (the limit guards against alias bombs); write the repeated content out or anchor less of it", line, (int)e.Start.Column);
                    return (target.Node, target.Size, target.Height);
                }
                case Scalar s:
                {
                    parser.MoveNext();
                    var node = ConvertScalar(s, line);
                    return Anchor(s, node, 1, 1);
                }
                case SequenceStart seqStart:
                {
                    parser.MoveNext();
                    var items = new List<Node>();
                    long size = 1;
                    int height = 0;
                    while (Peek() is not SequenceEnd)
                    {
                        var (item, itemSize, itemHeight) = ReadNode(depth + 1);
                        items.Add(item);
                        size += itemSize;
                        height = Math.Max(height, itemHeight);
                    }
                    parser.MoveNext();
                    return Anchor(seqStart, new SequenceNode(items, line), size, height + 1);
                }
                case MappingStart mapStart:
                {
                    parser.MoveNext();
                    var entries = new List<KeyValuePair<string, Node>>();
                    var seen = new HashSet<string>();
                    long size = 1;
                    int height = 0;
                    while (Peek() is not MappingEnd)
                    {
                        var k = Peek();
                        if (k is not Scalar ks)
                            throw new SyntaxError("malformed YAML: mapping keys must be plain strings", (int)k.Start.Line, (int)k.Start.Column);
                        parser.MoveNext();
                        _budget.Add((int)ks.Start.Line, (int)ks.Start.Column);
                        if (!ks.Anchor.IsEmpty) _anchors[ks.Anchor.Value] = new(ConvertScalar(ks, (int)ks.Start.Line), 1, 1);
                        if (!seen.Add(ks.Value)) throw new SyntaxError($"malformed YAML: duplicate key '{ks.Value}'", (int)ks.Start.Line, (int)ks.Start.Column);
                        if (topLevel && topLevelKeys is not null && !topLevelKeys.Contains(ks.Value))
                        {
                            // An unknown top-level key: the schema rejects it; do not build (or expand) its value.
                            int valueLine = (int)Peek().Start.Line;
                            Skip(depth + 1);
                            entries.Add(new(ks.Value, new ScalarNode(ScalarKind.Null, "", double.NaN, false, valueLine)));
                            continue;
                        }
                        var (value, valueSize, valueHeight) = ReadNode(depth + 1);
                        entries.Add(new(ks.Value, value));
                        size += 1 + valueSize;
                        height = Math.Max(height, valueHeight);
                    }
                    parser.MoveNext();
                    return Anchor(mapStart, new MappingNode(entries, line), size, height + 1);
                }
                default:
                    throw new SyntaxError($"malformed YAML: unexpected {e.GetType().Name}", line, (int)e.Start.Column);
            }
        }

        /// <summary>Consumes one node without building it (nesting and the value count still limited); its anchors stand for null.</summary>
        private void Skip(int depth)
        {
            int level = 0;
            do
            {
                var e = Peek();
                if (e is NodeEvent { Anchor.IsEmpty: false } n)
                    _anchors[n.Anchor.Value] = new(new ScalarNode(ScalarKind.Null, "", double.NaN, false, (int)e.Start.Line), 1, 1);
                if (e is NodeEvent) _budget.Add((int)e.Start.Line, (int)e.Start.Column);
                if (e is SequenceStart or MappingStart)
                {
                    level++;
                    if (depth + level - 1 > ModelLimits.MaxNestingDepth) throw TooDeep(e);
                }
                else if (e is SequenceEnd or MappingEnd) level--;
                parser.MoveNext();
            }
            while (level > 0);
        }

        private (Node, long, int) Anchor(NodeEvent e, Node node, long size, int height)
        {
            if (!e.Anchor.IsEmpty) _anchors[e.Anchor.Value] = new(node, size, height);
            return (node, size, height);
        }
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

    private static ScalarNode ConvertScalar(Scalar s, int line)
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

using System.Globalization;
using Davies.Baths;
using Davies.Operators;
using Davies.Spaces;

namespace Davies.Models;

/// <summary>Scalars, ranges and error messages of the model-file reader.</summary>
internal sealed partial class ModelFileReader
{
    // ---------------------------------------------------------------- scalars

    private Complex ComplexNumber(Node node, string path)
    {
        if (node is SequenceNode seq)
        {
            if (seq.Items.Count != 2) throw Schema(node, path, $"a complex number is written [re, im]; got {seq.Describe()}");
            return new Complex(Coefficient(seq.Items[0], $"{path}[0]"), Coefficient(seq.Items[1], $"{path}[1]"));
        }
        if (node is ScalarNode { Kind: ScalarKind.Number } || IsNonFiniteString(node)) return Coefficient(node, path);
        if (node is ScalarNode { Kind: ScalarKind.String } s)
        {
            // An expression: complex arithmetic, i the imaginary unit; each part within the range of a coefficient.
            var z = EvaluateComplex(s, path);
            foreach (double part in new[] { z.Real, z.Imaginary })
                if (Math.Abs(part) > ModelLimits.MaxMagnitude)
                    throw Invalid(node, path, $"coefficient {Shown(node, part)} is outside the valid range |c| ≤ {Lim(ModelLimits.MaxMagnitude)}");
            return z;
        }
        throw Schema(node, path, $"expected a number, an expression or a complex number [re, im]; got {node.Describe()}");
    }

    private double Number(Node node, string path)
    {
        if (node is ScalarNode { Kind: ScalarKind.Number } s)
        {
            if (!double.IsFinite(s.Number)) throw Schema(node, path, $"{s.Text} is not a finite number");
            return s.Number;
        }
        if (IsNonFiniteString(node))
            throw Schema(node, path, $"\"{((ScalarNode)node).Text}\" is not a finite number (NaN and infinities are not allowed)");
        if (node is ScalarNode { Kind: ScalarKind.String } expression) return EvaluateReal(expression, path);
        throw Schema(node, path, $"expected a number or an expression; got {node.Describe()}");
    }

    /// <summary>A string such as "NaN" or "Infinity" (how some JSON writers encode non-finite numbers).</summary>
    private static bool IsNonFiniteString(Node node) =>
        node is ScalarNode { Kind: ScalarKind.String } s
        && double.TryParse(s.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v);

    /// <summary>A positive number; with <paramref name="check"/>, also within the valid range of dimensional numbers.</summary>
    private double Positive(Node node, string path, bool check = true)
    {
        double v = Number(node, path);
        if (v <= 0) throw Invalid(node, path, $"must be a positive number, got {Shown(node, v)}");
        if (check) InRange(node, path, v, path[(path.LastIndexOf('.') + 1)..]);
        return v;
    }

    private double Positive(Fields f, string key) => Positive(f.Required(key), f.PathOf(key));

    /// <summary>The Ohmic exponent s (default 1), within [<see cref="ModelLimits.MinExponent"/>, <see cref="ModelLimits.MaxExponent"/>].</summary>
    private double Exponent(Fields f)
    {
        if (f.Optional("exponent") is not { } n) return 1.0;
        double s = Positive(n, f.PathOf("exponent"), check: false);
        if (s < ModelLimits.MinExponent || s > ModelLimits.MaxExponent)
            throw Invalid(n, f.PathOf("exponent"), $"exponent {Shown(n, s)} is outside the valid range {Fmt(ModelLimits.MinExponent)} ≤ s ≤ {Fmt(ModelLimits.MaxExponent)}");
        return s;
    }

    /// <summary>Requires <see cref="ModelLimits.MinMagnitude"/> ≤ v ≤ <see cref="ModelLimits.MaxMagnitude"/> for a positive v.</summary>
    private void InRange(Node node, string path, double v, string symbol, string note = "")
    {
        if (v < ModelLimits.MinMagnitude || v > ModelLimits.MaxMagnitude)
            throw Invalid(node, path, $"{symbol} = {Shown(node, v)} is outside the valid range {Lim(ModelLimits.MinMagnitude)} ≤ {symbol} ≤ {Lim(ModelLimits.MaxMagnitude)}{note}");
    }

    /// <summary>A real operator coefficient or matrix entry: |c| ≤ <see cref="ModelLimits.MaxMagnitude"/>.</summary>
    private double Coefficient(Node node, string path)
    {
        double v = Number(node, path);
        if (Math.Abs(v) > ModelLimits.MaxMagnitude)
            throw Invalid(node, path, $"coefficient {Shown(node, v)} is outside the valid range |c| ≤ {Lim(ModelLimits.MaxMagnitude)}");
        return v;
    }

    /// <summary>An assembled operator: every entry |A_ij| ≤ <see cref="ModelLimits.MaxMagnitude"/>.</summary>
    private Matrix<Complex> Bounded(Matrix<Complex> m, Node node, string path)
    {
        double largest = LargestEntry(m);
        if (largest > ModelLimits.MaxMagnitude)
            throw Invalid(node, path, $"the operator has an entry of magnitude {largest.ToString("G3", CultureInfo.InvariantCulture)}, outside the valid range |A_ij| ≤ {Lim(ModelLimits.MaxMagnitude)}");
        return m;
    }

    private static double LargestEntry(Matrix<Complex> m) => OpenSystemModel.LargestMagnitude(m);

    /// <summary>A number as the file writes it (e.g. 1e-320); an expression's value with the expression; else formatted.</summary>
    private static string Shown(Node node, double v) => node switch
    {
        ScalarNode { Kind: ScalarKind.Number } s => s.Text.Trim(),
        ScalarNode { Kind: ScalarKind.String } e => $"{Fmt(v)} (the value of \"{e.Text.Trim()}\")",
        _ => Fmt(v),
    };

    /// <summary>A limit such as 1e30 or 1e-30.</summary>
    private static string Lim(double x) => x.ToString("0e0", CultureInfo.InvariantCulture);

    private int Integer(Node node, string path)
    {
        double v = Number(node, path);
        if (v != Math.Floor(v) || Math.Abs(v) > int.MaxValue) throw Schema(node, path, $"expected a whole number; got {Shown(node, v)}");
        return (int)v;
    }

    private string String(Node node, string path) =>
        node is ScalarNode { Kind: ScalarKind.String } s ? s.Text : throw Schema(node, path, $"expected a string; got {node.Describe()}");

    private bool Bool(Node node, string path) =>
        node is ScalarNode { Kind: ScalarKind.Bool } s ? s.Boolean : throw Schema(node, path, $"expected true or false; got {node.Describe()}");

    private SequenceNode Sequence(Node node, string path) =>
        node as SequenceNode ?? throw Schema(node, path, $"expected a list; got {node.Describe()}");

    private MappingNode Mapping(Node node, string path) =>
        node as MappingNode ?? throw Schema(node, path, $"expected a mapping; got {node.Describe()}");

    // ---------------------------------------------------------------- errors

    private string Where(Node? node, string path)
    {
        string line = node?.Line is { } l ? $"line {l}" : "";
        if (path.Length == 0) return line.Length == 0 ? "" : line + ": ";
        return line.Length == 0 ? $"{path}: " : $"{path} ({line}): ";
    }

    private ModelFileException Schema(Node? node, string path, string problem) =>
        new($"{_source}: {Where(node, path)}{OneLine(problem)}");

    private ModelException Invalid(Node? node, string path, string problem) =>
        new($"{_source}: {Where(node, path)}{OneLine(problem)}");

    private static string Entries(int n) => n == 1 ? "1 entry" : $"{n} entries";

    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string FmtComplex(Complex c) =>
        c.Imaginary == 0 ? Fmt(c.Real) : $"({Fmt(c.Real)}{(c.Imaginary < 0 ? "−" : "+")}{Fmt(Math.Abs(c.Imaginary))}i)";

    private static string Suggest(string key, IEnumerable<string> allowed) =>
        Expression.Suggest(key.ToLowerInvariant(), allowed) is { } best ? $" (did you mean '{best}'?)" : "";
}

using System.Globalization;

namespace Davies.Models;

/// <summary>What went wrong in an expression: its form, a name, or the value of one of its operations.</summary>
internal enum ExpressionProblem
{
    /// <summary>The text is not an expression (a misplaced token, a missing parenthesis, an unknown function).</summary>
    Syntax,

    /// <summary>A name that is neither a parameter nor a constant.</summary>
    UnknownName,

    /// <summary>An operation gave a value that is not a finite number (division by zero, log of a negative number, overflow).</summary>
    Value,
}

/// <summary>An error in an expression at a 1-based column of its text.</summary>
internal sealed class ExpressionException(string message, int column, ExpressionProblem problem, string? name = null) : Exception(message)
{
    /// <summary>The 1-based column in the expression's text.</summary>
    public int Column { get; } = column;

    public ExpressionProblem Problem { get; } = problem;

    /// <summary>The unknown name, for <see cref="ExpressionProblem.UnknownName"/>.</summary>
    public string? Name { get; } = name;
}

/// <summary>
/// An arithmetic expression of a model file (docs/model-file.md, "Parameters and expressions"): numbers, names, the
/// binary operators + − * / and ^ (also **), unary − and +, parentheses, the constant <c>pi</c>, functions of one
/// argument (<see cref="Functions"/>) and <c>min</c>, <c>max</c> of two or more. Precedence from low to high:
/// + −, then * /, then unary − +, then ^, which is right-associative and binds tighter than a unary minus on its left
/// (−2^2 = −4, 2^−1 = 0.5, 2^3^2 = 512). Numbers are read as the model file reads them (invariant culture, so "0.5"
/// in an expression is the same double as 0.5 written as a number).
/// <para>
/// Values are real; in a complex field (a term coefficient or a matrix entry) the name <c>i</c> is the imaginary
/// unit and complex values follow the usual arithmetic. Operations on real operands use real arithmetic (Math.Pow,
/// Math.Exp, …), so a real expression has the same value in a real and in a complex field, and a function of a real
/// argument never turns complex: sqrt(−1) is an error, not i.
/// </para>
/// </summary>
internal sealed partial class Expression
{
    /// <summary>The functions and how many arguments they take (−2: two or more).</summary>
    public static readonly IReadOnlyDictionary<string, int> Functions = new Dictionary<string, int>
    {
        ["exp"] = 1, ["log"] = 1, ["log10"] = 1, ["sqrt"] = 1, ["abs"] = 1,
        ["sin"] = 1, ["cos"] = 1, ["tan"] = 1, ["asin"] = 1, ["acos"] = 1, ["atan"] = 1,
        ["sinh"] = 1, ["cosh"] = 1, ["tanh"] = 1, ["floor"] = 1, ["ceil"] = 1,
        ["min"] = -2, ["max"] = -2,
    };

    /// <summary>Names that are not parameters: the functions, <c>pi</c> and the imaginary unit <c>i</c>.</summary>
    public static bool IsReserved(string name) => Functions.ContainsKey(name) || name is "pi" or "i";

    /// <summary>Whether <paramref name="name"/> has the form of a name: a letter or _ followed by letters, digits, _.</summary>
    public static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private const int MaxDepth = ModelLimits.MaxNestingDepth;

    private readonly Term _root;

    private Expression(string text, Term root, IReadOnlyList<(string Name, int Column)> names)
    {
        Text = text;
        _root = root;
        Names = names;
    }

    /// <summary>The text it was parsed from.</summary>
    public string Text { get; }

    /// <summary>The names it refers to (parameters, <c>i</c>, <c>pi</c>), with their columns, in order of appearance.</summary>
    public IReadOnlyList<(string Name, int Column)> Names { get; }

    /// <summary>Parses <paramref name="text"/>; a malformed expression throws <see cref="ExpressionException"/> with the column.</summary>
    public static Expression Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.ParseAll();
        return new Expression(text, root, parser.Names);
    }

    /// <summary>
    /// The real value, names looked up in <paramref name="lookup"/> (null: unknown). Throws
    /// <see cref="ExpressionException"/> for an unknown name, <c>i</c>, or an operation whose value is not finite.
    /// </summary>
    public double EvaluateReal(Func<string, double?> lookup)
    {
        var v = _root.Evaluate(lookup, complex: false);
        return v.Re;
    }

    /// <summary>The value in a complex field (<c>i</c> is the imaginary unit); errors as <see cref="EvaluateReal"/>.</summary>
    public Complex EvaluateComplex(Func<string, double?> lookup)
    {
        var v = _root.Evaluate(lookup, complex: true);
        return new Complex(v.Re, v.Im);
    }

    // ------------------------------------------------------------------ values

    /// <summary>A real or complex value: real arithmetic while both operands are real.</summary>
    private readonly record struct Value(double Re, double Im)
    {
        public bool IsReal => Im == 0;
        public bool IsFinite => double.IsFinite(Re) && double.IsFinite(Im);
        public Complex Z => new(Re, Im);
        public static Value Of(Complex z) => new(z.Real, z.Imaginary);
        public override string ToString() => IsReal ? Fmt(Re) : $"{Fmt(Re)}{(Im < 0 ? "−" : "+")}{Fmt(Math.Abs(Im))}i";
    }

    private static string Fmt(double x) =>
        double.IsNaN(x) ? "NaN" : double.IsPositiveInfinity(x) ? "∞" : double.IsNegativeInfinity(x) ? "−∞" : x.ToString("G6", CultureInfo.InvariantCulture);

    private static ExpressionException NotFinite(int column, string problem) =>
        new($"{problem} at column {column}", column, ExpressionProblem.Value);

    // ------------------------------------------------------------------ terms

    private abstract class Term(int column)
    {
        public int Column { get; } = column;
        public abstract Value Evaluate(Func<string, double?> lookup, bool complex);
    }

    private sealed class NumberTerm(double value, int column) : Term(column)
    {
        public override Value Evaluate(Func<string, double?> lookup, bool complex) => new(value, 0);
    }

    private sealed class NameTerm(string name, int column) : Term(column)
    {
        public override Value Evaluate(Func<string, double?> lookup, bool complex)
        {
            if (name == "pi") return new(Math.PI, 0);
            if (name == "i")
            {
                if (complex) return new(0, 1);
                throw new ExpressionException(
                    $"the imaginary unit 'i' at column {Column} is allowed only where a complex number is (term coefficients and matrix entries)",
                    Column, ExpressionProblem.Syntax);
            }
            if (lookup(name) is { } v) return new(v, 0);
            throw new ExpressionException($"unknown name '{name}' at column {Column}", Column, ExpressionProblem.UnknownName, name);
        }
    }

    private sealed class NegateTerm(Term operand, int column) : Term(column)
    {
        public override Value Evaluate(Func<string, double?> lookup, bool complex)
        {
            var v = operand.Evaluate(lookup, complex);
            return new(-v.Re, v.IsReal ? 0 : -v.Im);
        }
    }

    private sealed class BinaryTerm(char op, Term left, Term right, int column) : Term(column)
    {
        public override Value Evaluate(Func<string, double?> lookup, bool complex)
        {
            var a = left.Evaluate(lookup, complex);
            var b = right.Evaluate(lookup, complex);
            Value r;
            if (a.IsReal && b.IsReal)
            {
                r = new(op switch
                {
                    '+' => a.Re + b.Re,
                    '-' => a.Re - b.Re,
                    '*' => a.Re * b.Re,
                    '/' => a.Re / b.Re,
                    _ => Math.Pow(a.Re, b.Re),
                }, 0);
            }
            else
            {
                r = Value.Of(op switch
                {
                    '+' => a.Z + b.Z,
                    '-' => a.Z - b.Z,
                    '*' => a.Z * b.Z,
                    '/' => a.Z / b.Z,
                    _ => Complex.Pow(a.Z, b.Z),
                });
                if (r.Im == 0) r = r with { Im = 0 }; // −0 imaginary parts are real
            }
            if (r.IsFinite) return r;
            string symbol = op == '^' ? "^" : op.ToString();
            if (op == '/' && b.Re == 0 && b.Im == 0) throw NotFinite(Column, "division by zero");
            if (op == '^' && a.Re == 0 && a.Im == 0 && b.Re < 0) throw NotFinite(Column, $"0 raised to the negative power {b}");
            if (op == '^' && a.IsReal && b.IsReal && a.Re < 0 && double.IsNaN(r.Re))
                throw NotFinite(Column, $"the negative number {a} raised to the non-integer power {b} (not a real number)");
            throw NotFinite(Column, $"'{symbol}' of {a} and {b} is not a finite number ({r})");
        }
    }

    private sealed class CallTerm(string name, Term[] args, int column) : Term(column)
    {
        public override Value Evaluate(Func<string, double?> lookup, bool complex)
        {
            var v = new Value[args.Length];
            for (int k = 0; k < args.Length; k++) v[k] = args[k].Evaluate(lookup, complex);
            Value r = v.All(x => x.IsReal) ? new(Real(v.Select(x => x.Re).ToArray()), 0) : Complex(v);
            if (r.IsFinite) return r;
            string arg = string.Join(", ", v.Select(x => x.ToString()));
            string why = name switch
            {
                "log" or "log10" when v[0].IsReal && v[0].Re == 0 => "is −∞",
                "log" or "log10" or "sqrt" when v[0].IsReal && v[0].Re < 0 => "is not a real number (negative argument)",
                "asin" or "acos" when v[0].IsReal => "is not a real number (the argument must be in [−1, 1])",
                _ => $"is not a finite number ({r})",
            };
            throw NotFinite(Column, $"{name}({arg}) {why}");
        }

        private double Real(double[] x) => name switch
        {
            "exp" => Math.Exp(x[0]),
            "log" => Math.Log(x[0]),
            "log10" => Math.Log10(x[0]),
            "sqrt" => Math.Sqrt(x[0]),
            "abs" => Math.Abs(x[0]),
            "sin" => Math.Sin(x[0]),
            "cos" => Math.Cos(x[0]),
            "tan" => Math.Tan(x[0]),
            "asin" => Math.Asin(x[0]),
            "acos" => Math.Acos(x[0]),
            "atan" => Math.Atan(x[0]),
            "sinh" => Math.Sinh(x[0]),
            "cosh" => Math.Cosh(x[0]),
            "tanh" => Math.Tanh(x[0]),
            "floor" => Math.Floor(x[0]),
            "ceil" => Math.Ceiling(x[0]),
            "min" => x.Min(),
            "max" => x.Max(),
            _ => throw new InvalidOperationException(name),
        };

        private Value Complex(Value[] x)
        {
            var z = x[0].Z;
            return name switch
            {
                "exp" => Value.Of(System.Numerics.Complex.Exp(z)),
                "log" => Value.Of(System.Numerics.Complex.Log(z)),
                "log10" => Value.Of(System.Numerics.Complex.Log10(z)),
                "sqrt" => Value.Of(System.Numerics.Complex.Sqrt(z)),
                "abs" => new(z.Magnitude, 0),
                "sin" => Value.Of(System.Numerics.Complex.Sin(z)),
                "cos" => Value.Of(System.Numerics.Complex.Cos(z)),
                "tan" => Value.Of(System.Numerics.Complex.Tan(z)),
                "sinh" => Value.Of(System.Numerics.Complex.Sinh(z)),
                "cosh" => Value.Of(System.Numerics.Complex.Cosh(z)),
                "tanh" => Value.Of(System.Numerics.Complex.Tanh(z)),
                _ => throw new ExpressionException(
                    $"{name} at column {Column} takes real arguments, got {string.Join(", ", x.Select(a => a.ToString()))}",
                    Column, ExpressionProblem.Value),
            };
        }
    }

    /// <summary>The nearest of <paramref name="candidates"/> to <paramref name="name"/> when close enough (edit distance).</summary>
    internal static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(name, c);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best is not null && bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    private static int Distance(string s, string t)
    {
        var d = new int[s.Length + 1, t.Length + 1];
        for (int i = 0; i <= s.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= t.Length; j++) d[0, j] = j;
        for (int i = 1; i <= s.Length; i++)
            for (int j = 1; j <= t.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1));
        return d[s.Length, t.Length];
    }
}

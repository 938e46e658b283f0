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
internal sealed class Expression
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

    // ------------------------------------------------------------------ parser

    private enum Kind { Number, Name, Op, Open, Close, Comma, End }

    private readonly record struct Token(Kind Kind, string Text, int Column, double Number = 0);

    /// <summary>Recursive descent over a token list; columns are 1-based positions in the text.</summary>
    private sealed class Parser
    {
        private readonly List<Token> _tokens;
        private readonly List<(string, int)> _names = [];
        private int _at;
        private int _depth;

        public Parser(string text) => _tokens = Tokenize(text);

        public IReadOnlyList<(string Name, int Column)> Names => _names;

        private Token Current => _tokens[_at];

        public Term ParseAll()
        {
            if (_tokens.Count == 1) throw new ExpressionException("the expression is empty", 1, ExpressionProblem.Syntax);
            var t = Sum();
            if (Current.Kind != Kind.End)
                throw Unexpected(Current, Current.Kind == Kind.Close
                    ? "there is no '(' for it"
                    : "expected an operator (+ - * / ^) or the end of the expression");
            return t;
        }

        private Term Sum()
        {
            var left = Product();
            while (Current is { Kind: Kind.Op, Text: "+" or "-" } op)
            {
                _at++;
                left = new BinaryTerm(op.Text[0], left, Product(), op.Column);
            }
            return left;
        }

        private Term Product()
        {
            var left = Unary();
            while (Current is { Kind: Kind.Op, Text: "*" or "/" } op)
            {
                _at++;
                left = new BinaryTerm(op.Text[0], left, Unary(), op.Column);
            }
            return left;
        }

        private Term Unary()
        {
            if (Current is { Kind: Kind.Op, Text: "-" or "+" } op)
            {
                _at++;
                Enter(op);
                var operand = Unary();
                _depth--;
                return op.Text == "-" ? new NegateTerm(operand, op.Column) : operand;
            }
            return Power();
        }

        private Term Power()
        {
            var b = Primary();
            if (Current is { Kind: Kind.Op, Text: "^" } op)
            {
                _at++;
                Enter(op);
                var e = Unary(); // right-associative, and 2^-1 is allowed
                _depth--;
                return new BinaryTerm('^', b, e, op.Column);
            }
            return b;
        }

        private Term Primary()
        {
            var t = Current;
            switch (t.Kind)
            {
                case Kind.Number:
                    _at++;
                    return new NumberTerm(t.Number, t.Column);
                case Kind.Name:
                {
                    _at++;
                    if (Current.Kind == Kind.Open) return Call(t);
                    if (Functions.ContainsKey(t.Text))
                        throw new ExpressionException($"'{t.Text}' at column {t.Column} is a function: write {t.Text}(…)", t.Column, ExpressionProblem.Syntax);
                    _names.Add((t.Text, t.Column));
                    return new NameTerm(t.Text, t.Column);
                }
                case Kind.Open:
                {
                    _at++;
                    Enter(t);
                    var inner = Sum();
                    _depth--;
                    if (Current.Kind != Kind.Close)
                        throw Current.Kind == Kind.End
                            ? new ExpressionException($"the '(' at column {t.Column} is not closed (the expression ends at column {Current.Column})", Current.Column, ExpressionProblem.Syntax)
                            : Unexpected(Current, $"expected an operator or the ')' closing the '(' at column {t.Column}");
                    _at++;
                    return inner;
                }
                case Kind.End:
                    throw new ExpressionException($"the expression ends at column {t.Column} where a number, a name or '(' is expected",
                        t.Column, ExpressionProblem.Syntax);
                default:
                    throw Unexpected(t, "expected a number, a name or '('");
            }
        }

        private Term Call(Token name)
        {
            if (!Functions.TryGetValue(name.Text, out int arity))
            {
                string known = string.Join(", ", Functions.Keys);
                string hint = Suggest(name.Text, Functions.Keys) is { } s ? $" (did you mean '{s}'?)" : "";
                throw new ExpressionException($"unknown function '{name.Text}' at column {name.Column}{hint}; the functions are {known}",
                    name.Column, ExpressionProblem.Syntax);
            }
            var open = Current;
            _at++;
            Enter(open);
            var args = new List<Term>();
            if (Current.Kind != Kind.Close)
            {
                args.Add(Sum());
                while (Current.Kind == Kind.Comma)
                {
                    _at++;
                    args.Add(Sum());
                }
            }
            _depth--;
            if (Current.Kind != Kind.Close)
                throw Current.Kind == Kind.End
                    ? new ExpressionException($"the '(' at column {open.Column} is not closed (the expression ends at column {Current.Column})", Current.Column, ExpressionProblem.Syntax)
                    : Unexpected(Current, $"expected ',' or the ')' closing the '(' at column {open.Column}");
            _at++;
            bool ok = arity > 0 ? args.Count == arity : args.Count >= -arity;
            if (!ok)
            {
                string want = arity > 0 ? $"{arity} argument{(arity == 1 ? "" : "s")}" : $"at least {-arity} arguments";
                throw new ExpressionException($"{name.Text} at column {name.Column} takes {want}, got {args.Count}", name.Column, ExpressionProblem.Syntax);
            }
            return new CallTerm(name.Text, args.ToArray(), name.Column);
        }

        private void Enter(Token t)
        {
            if (++_depth > MaxDepth)
                throw new ExpressionException($"the expression is nested more than {MaxDepth} levels deep at column {t.Column}", t.Column, ExpressionProblem.Syntax);
        }

        private static ExpressionException Unexpected(Token t, string expected)
        {
            string what = t.Kind switch
            {
                Kind.Number => $"number {t.Text}",
                Kind.Name => $"name '{t.Text}'",
                Kind.End => "end of the expression",
                _ => $"'{t.Text}'",
            };
            return new ExpressionException($"unexpected {what} at column {t.Column}: {expected}", t.Column, ExpressionProblem.Syntax);
        }

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                int col = i + 1;
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    int start = i;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    if (i < text.Length && text[i] == '.')
                    {
                        i++;
                        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    }
                    if (i < text.Length && text[i] is 'e' or 'E')
                    {
                        int j = i + 1;
                        if (j < text.Length && text[j] is '+' or '-') j++;
                        if (j < text.Length && char.IsAsciiDigit(text[j]))
                        {
                            i = j;
                            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                        }
                    }
                    string num = text[start..i];
                    double v = double.Parse(num, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (!double.IsFinite(v))
                        throw new ExpressionException($"the number {num} at column {col} is too large (not a finite number)", col, ExpressionProblem.Value);
                    tokens.Add(new(Kind.Number, num, col, v));
                    continue;
                }
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(new(Kind.Name, text[start..i], col));
                    continue;
                }
                switch (c)
                {
                    case '+' or '/' or '^':
                        tokens.Add(new(Kind.Op, c.ToString(), col));
                        break;
                    case '-' or '\u2212': // ASCII hyphen-minus or the Unicode minus sign
                        tokens.Add(new(Kind.Op, "-", col));
                        break;
                    case '*':
                        if (i + 1 < text.Length && text[i + 1] == '*')
                        {
                            tokens.Add(new(Kind.Op, "^", col));
                            i++;
                        }
                        else tokens.Add(new(Kind.Op, "*", col));
                        break;
                    case '(':
                        tokens.Add(new(Kind.Open, "(", col));
                        break;
                    case ')':
                        tokens.Add(new(Kind.Close, ")", col));
                        break;
                    case ',':
                        tokens.Add(new(Kind.Comma, ",", col));
                        break;
                    default:
                        throw new ExpressionException($"unexpected character '{c}' at column {col}", col, ExpressionProblem.Syntax);
                }
                i++;
            }
            tokens.Add(new(Kind.End, "", text.Length + 1));
            return tokens;
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

using System.Globalization;

namespace Davies.Models;

/// <summary>The tokenizer and the recursive-descent parser of <see cref="Expression"/> (precedence and associativity as documented there).</summary>
internal sealed partial class Expression
{
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
}

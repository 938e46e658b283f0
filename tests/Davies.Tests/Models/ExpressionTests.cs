using Davies.Models;

namespace Davies.Tests.Models;

public class ExpressionTests
{
    private static double Eval(string text, params (string Name, double Value)[] names) =>
        Expression.Parse(text).EvaluateReal(n => names.Where(p => p.Name == n).Select(p => (double?)p.Value).FirstOrDefault());

    private static Complex EvalComplex(string text, params (string Name, double Value)[] names) =>
        Expression.Parse(text).EvaluateComplex(n => names.Where(p => p.Name == n).Select(p => (double?)p.Value).FirstOrDefault());

    [Theory]
    [InlineData("1 + 2", 3)]
    [InlineData("5 - 7", -2)]
    [InlineData("2 * 3.5", 7)]
    [InlineData("7 / 2", 3.5)]
    [InlineData("2 ^ 10", 1024)]
    [InlineData("2 ** 3", 8)]
    [InlineData("-3", -3)]
    [InlineData("+3", 3)]
    [InlineData("\u22123", -3)]
    [InlineData("(1 + 2) * 3", 9)]
    public void EveryOperator_HasItsValue(string text, double expected) => Assert.Equal(expected, Eval(text));

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("2 * 3 ^ 2", 18)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("(2 ^ 3) ^ 2", 64)]
    [InlineData("8 / 2 / 2", 2)]
    [InlineData("8 - 2 - 2", 4)]
    [InlineData("-(1 + 2) * 2", -6)]
    [InlineData("2 * -3", -6)]
    [InlineData("1 - -1", 2)]
    [InlineData("12 / 2 * 3", 18)]
    [InlineData("2 + 3 * 4 ^ 2 / 8 - 1", 7)]
    public void Precedence_AndAssociativity_AreTheUsualOnes(string text, double expected) => Assert.Equal(expected, Eval(text));

    [Fact]
    public void EveryFunction_AgreesWithMath()
    {
        var cases = new (string Text, double Expected)[]
        {
            ("exp(0.7)", Math.Exp(0.7)), ("log(3)", Math.Log(3)), ("log10(250)", Math.Log10(250)), ("sqrt(2)", Math.Sqrt(2)),
            ("abs(-2.5)", 2.5), ("sin(0.3)", Math.Sin(0.3)), ("cos(0.3)", Math.Cos(0.3)), ("tan(0.3)", Math.Tan(0.3)),
            ("asin(0.4)", Math.Asin(0.4)), ("acos(0.4)", Math.Acos(0.4)), ("atan(4)", Math.Atan(4)), ("sinh(0.9)", Math.Sinh(0.9)),
            ("cosh(0.9)", Math.Cosh(0.9)), ("tanh(0.9)", Math.Tanh(0.9)), ("floor(-2.5)", -3), ("ceil(2.1)", 3),
            ("min(3, 1, 2)", 1), ("max(1, 3)", 3), ("pi", Math.PI),
        };
        foreach (var (text, expected) in cases) Assert.True(expected == Eval(text), $"{text}: expected {expected}, got {Eval(text)}");
        // Every function of the table is covered above.
        foreach (var f in Expression.Functions.Keys) Assert.Contains(cases, c => c.Text.StartsWith(f + "(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.1")]
    [InlineData("1e-3")]
    [InlineData(".5")]
    [InlineData("2.")]
    [InlineData("1E+2")]
    [InlineData("123456789.123456789")]
    public void Numbers_ReadAsTheModelFileReadsThem(string text) =>
        Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Eval(text));

    [Fact]
    public void Names_AreLookedUp()
    {
        Assert.Equal(2 * Math.PI * 3, Eval("2 * pi * f", ("f", 3)));
        Assert.Equal(4.0 / 2, Eval("Th / 2", ("Th", 4)));
        Assert.Equal(new[] { ("Th", 1), ("pi", 6) }, Expression.Parse("Th / pi").Names.ToArray());
    }

    [Fact]
    public void ComplexFields_KnowTheImaginaryUnit_AndKeepRealArithmeticForReals()
    {
        Assert.Equal(new Complex(1, 2), EvalComplex("1 + 2 * i"));
        Assert.Equal(new Complex(-1, 0), EvalComplex("i * i"));
        var z = EvalComplex("g * exp(i * phi)", ("g", 0.5), ("phi", 0.3));
        Assert.Equal(0.5 * Math.Cos(0.3), z.Real, 15);
        Assert.Equal(0.5 * Math.Sin(0.3), z.Imaginary, 15);
        Assert.Equal(Math.Sqrt(5), EvalComplex("abs(1 + 2 * i)").Real, 15);
        // A real expression has bit for bit the value it has in a real field (Math.Pow, not Complex.Pow).
        foreach (var text in new[] { "2 ^ 3", "0.3 ^ 1.7", "exp(0.1) / 3", "sqrt(2) * pi" })
            Assert.Equal(Eval(text), EvalComplex(text).Real);
        Assert.Equal(0, EvalComplex("2 ^ 3").Imaginary);
    }

    [Theory]
    [InlineData("1 +", 4, "ends")]
    [InlineData("(1 + 2", 7, "'(' at column 1 is not closed")]
    [InlineData("1 + * 2", 5, "unexpected '*'")]
    [InlineData("2 pi", 3, "unexpected name 'pi'")]
    [InlineData("1 2", 3, "unexpected number 2")]
    [InlineData("1 $ 2", 3, "unexpected character '$'")]
    [InlineData(")", 1, "unexpected ')'")]
    [InlineData("1)", 2, "no '(' for it")]
    [InlineData("sqr(2)", 1, "did you mean 'sqrt'")]
    [InlineData("sqrt(1, 2)", 1, "takes 1 argument, got 2")]
    [InlineData("min(1)", 1, "at least 2 arguments")]
    [InlineData("2 * sqrt", 5, "is a function")]
    [InlineData("", 1, "empty")]
    [InlineData("max(1 2)", 7, "expected ',' or the ')'")]
    public void SyntaxErrors_NameTheColumn(string text, int column, string fragment)
    {
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse(text));
        Assert.Equal(ExpressionProblem.Syntax, e.Problem);
        Assert.Equal(column, e.Column);
        Assert.Contains(fragment, e.Message);
        if (text.Length > 0) Assert.Contains($"column {column}", e.Message);
    }

    [Theory]
    [InlineData("1 / (x - 1)", 3, "division by zero")]
    [InlineData("2 * log(x - 1)", 5, "log(0) is −∞")]
    [InlineData("sqrt(-x)", 1, "negative argument")]
    [InlineData("(-8) ^ (x / 3)", 6, "non-integer power")]
    [InlineData("exp(1000 * x)", 1, "not a finite number")]
    [InlineData("asin(2 * x)", 1, "[−1, 1]")]
    [InlineData("0 ^ -x", 3, "negative power")]
    public void ValueErrors_NameTheOperationAndColumn(string text, int column, string fragment)
    {
        var e = Assert.Throws<ExpressionException>(() => Eval(text, ("x", 1)));
        Assert.Equal(ExpressionProblem.Value, e.Problem);
        Assert.Equal(column, e.Column);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void UnknownNames_AndTheImaginaryUnitInARealField_AreErrors()
    {
        var e = Assert.Throws<ExpressionException>(() => Eval("2 * Tx", ("Th", 1)));
        Assert.Equal((ExpressionProblem.UnknownName, 5, "Tx"), (e.Problem, e.Column, e.Name));
        var i = Assert.Throws<ExpressionException>(() => Eval("1 + i"));
        Assert.Contains("imaginary unit", i.Message);
        Assert.Equal(5, i.Column);
        var c = Assert.Throws<ExpressionException>(() => EvalComplex("min(i, 1)"));
        Assert.Contains("real arguments", c.Message);
    }

    [Fact]
    public void DeepNesting_IsRefused_WithoutOverflowingTheStack()
    {
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse(new string('(', 10_000) + "1" + new string(')', 10_000)));
        Assert.Contains("nested more than", e.Message);
        Assert.Equal(1024.0, Eval(string.Concat(Enumerable.Repeat("(", 20)) + "2^10" + string.Concat(Enumerable.Repeat(")", 20))));
    }

    [Theory]
    [InlineData("T", true)]
    [InlineData("T_hot2", true)]
    [InlineData("_x", true)]
    [InlineData("2T", false)]
    [InlineData("T-hot", false)]
    [InlineData("", false)]
    public void Names_HaveTheFormOfIdentifiers(string name, bool ok) => Assert.Equal(ok, Expression.IsName(name));
}

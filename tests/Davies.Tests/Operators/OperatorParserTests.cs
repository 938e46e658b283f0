using Davies.Operators;
using Davies.Spaces;

namespace Davies.Tests.Operators;

public class OperatorParserTests
{
    private static readonly Complex I = Complex.ImaginaryOne;

    private static void AssertClose(Matrix<Complex> expected, Matrix<Complex> actual, double tol = 1e-12)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.True((expected - actual).FrobeniusNorm() < tol, $"expected\n{expected}\nactual\n{actual}");
    }

    private static Matrix<Complex> Diag(params double[] d) =>
        Matrix<Complex>.Build.DenseOfDiagonalArray(d.Select(x => new Complex(x, 0)).ToArray());

    [Fact]
    public void Pauli_Product_XY_Equals_iZ()
    {
        AssertClose(I * SiteOperators.PauliZ(), SiteOperators.PauliX() * SiteOperators.PauliY());
        AssertClose(I * SiteOperators.PauliX(), SiteOperators.PauliY() * SiteOperators.PauliZ());
    }

    [Fact]
    public void PauliZ_HasPlusOneOnStateZero()
    {
        AssertClose(Diag(1, -1), SiteOperators.PauliZ());
    }

    [Fact]
    public void Boson_Commutator_IsIdentity_AwayFromTruncation()
    {
        const int d = 6;
        var a = SiteOperators.Annihilation(d);
        var ad = SiteOperators.Creation(d);
        var comm = a * ad - ad * a;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                Complex expected = i == j ? (i < d - 1 ? 1 : -(d - 1)) : 0;
                Assert.True((comm[i, j] - expected).Magnitude < 1e-12, $"[{i},{j}] = {comm[i, j]}");
            }
        AssertClose(SiteOperators.Number(d), ad * a);
        AssertClose(ad, a.ConjugateTranspose());
        // a|n⟩ = √n |n−1⟩
        Assert.Equal(Math.Sqrt(3), a[2, 3].Real, 12);
    }

    [Fact]
    public void Parse_EmbedsSiteZeroLeftmost()
    {
        var space = new HilbertSpace([2, 2]);
        AssertClose(Diag(1, 1, -1, -1), OperatorParser.Parse("Z0", space));
        AssertClose(Diag(1, -1, 1, -1), OperatorParser.Parse("Z1", space));
        AssertClose(Diag(1, -1, -1, 1), OperatorParser.Parse("Z0 Z1", space));
    }

    [Fact]
    public void Parse_MixedDimensions_MatchesKroneckerProduct()
    {
        var space = new HilbertSpace([2, 3, 2]);
        var expected = SiteOperators.PauliX().KroneckerProduct(SiteOperators.Annihilation(3)).KroneckerProduct(SiteOperators.Identity(2));
        AssertClose(expected, OperatorParser.Parse("a1 X0", space));
        AssertClose(expected, SiteOperators.Embed(space, 0, SiteOperators.PauliX()) * SiteOperators.Embed(space, 1, SiteOperators.Annihilation(3)));
    }

    [Fact]
    public void Parse_SameSiteTokens_MultiplyInWrittenOrder()
    {
        var space = new HilbertSpace([2]);
        AssertClose(I * SiteOperators.PauliZ(), OperatorParser.Parse("X0 Y0", space));
        AssertClose(SiteOperators.Number(4), OperatorParser.Parse("ad0 a0", new HilbertSpace([4])));
    }

    [Fact]
    public void Parse_Identity()
    {
        var space = new HilbertSpace([2, 3]);
        AssertClose(SiteOperators.Identity(space), OperatorParser.Parse("I", space));
        AssertClose(OperatorParser.Parse("n1", space), OperatorParser.Parse("I n1", space));
    }

    [Fact]
    public void Sum_WithComplexCoefficients()
    {
        var space = new HilbertSpace([2]);
        var m = OperatorParser.Sum([(0.5, "X0"), (new Complex(0, 0.5), "Y0")], space);
        // (X + iY)/2 = |0⟩⟨1| … with Y = [[0,−i],[i,0]]: (X + iY)/2 = [[0,1],[0,0]]
        AssertClose(Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 1 }, { 0, 0 } }), m);
    }

    [Fact]
    public void Parse_Throws_ForUnknownToken()
    {
        var ex = Assert.Throws<ModelException>(() => OperatorParser.Parse("Z0 Q1", new HilbertSpace([2, 2])));
        Assert.Contains("'Q1'", ex.Message);
        Assert.Contains("\"Z0 Q1\"", ex.Message);
    }

    [Theory]
    [InlineData("X")]
    [InlineData("x0")]
    [InlineData("Z-1")]
    [InlineData("Z0.5")]
    public void Parse_Throws_ForMalformedTokens(string op)
    {
        var ex = Assert.Throws<ModelException>(() => OperatorParser.Parse(op, new HilbertSpace([2, 2])));
        Assert.Contains("unknown token", ex.Message);
    }

    [Fact]
    public void Parse_Throws_ForSiteOutOfRange()
    {
        var ex = Assert.Throws<ModelException>(() => OperatorParser.Parse("X3", new HilbertSpace([2, 2, 2])));
        Assert.Contains("'X3'", ex.Message);
        Assert.Contains("3 sites", ex.Message);
        Assert.Throws<ModelException>(() => OperatorParser.Parse("X99999999999999999999", new HilbertSpace([2])));
    }

    [Fact]
    public void Parse_Throws_ForPauliOnNonQubitSite()
    {
        var ex = Assert.Throws<ModelException>(() => OperatorParser.Parse("a0 X1", new HilbertSpace([2, 3])));
        Assert.Contains("'X1'", ex.Message);
        Assert.Contains("dimension 3", ex.Message);
    }

    [Fact]
    public void Parse_Throws_ForEmptyString()
    {
        Assert.Throws<ModelException>(() => OperatorParser.Parse("  ", new HilbertSpace([2])));
    }

    [Fact]
    public void Embed_Throws_ForWrongLocalDimension()
    {
        Assert.Throws<ModelException>(() => SiteOperators.Embed(new HilbertSpace([2, 3]), 1, SiteOperators.PauliX()));
        Assert.Throws<ModelException>(() => SiteOperators.Embed(new HilbertSpace([2, 3]), 2, SiteOperators.PauliX()));
    }

    [Fact]
    public void ProductState_LabelsSitesFromZero()
    {
        var space = new HilbertSpace([2, 2, 2]);
        var rho = ProductStates.DensityMatrix(space, "101");
        Assert.Equal(5, ProductStates.Index(space, "101"));
        Assert.Equal(1.0, rho[5, 5].Real);
        Assert.Equal(1.0, rho.Trace().Real);
        // ⟨Z0⟩ = −1, ⟨Z1⟩ = +1
        Assert.Equal(-1.0, (rho * OperatorParser.Parse("Z0", space)).Trace().Real, 12);
        Assert.Equal(1.0, (rho * OperatorParser.Parse("Z1", space)).Trace().Real, 12);
        Assert.Equal(1.0, ProductStates.Ket(new HilbertSpace([2, 5]), "14")[9].Real);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("1x1")]
    [InlineData("121")]
    public void ProductState_Throws_ForBadLabel(string label)
    {
        Assert.Throws<ModelException>(() => ProductStates.DensityMatrix(new HilbertSpace([2, 2, 2]), label));
    }
}

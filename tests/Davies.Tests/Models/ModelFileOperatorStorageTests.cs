using Davies.Models;
using Davies.Operators;

namespace Davies.Tests.Models;

/// <summary>
/// The model file's operators on small spaces (d ≤ 256): a list of terms is summed entry by entry without a dense
/// matrix per term, and the bath couplings and kept terms are sparse. Values must be those of the dense construction
/// (each term parsed, scaled, and added in order), entry for entry.
/// </summary>
public class ModelFileOperatorStorageTests
{
    private const string Text = """
        sites: [2, 3, 2]
        hamiltonian:
          - [0.7, "Z0 Z2"]
          - [-1.3, "X0 n1"]
          - [[0.2, 0.5], "ad1 Z2"]
          - [[0.2, -0.5], "a1 Z2"]
          - [1, "Y0 Y2"]
          - [-0.25, "n1 n1"]
        baths:
          - {name: hot, temperature: 2, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X0 Y2", [[1, "a1"], [1, "ad1"]]]}
          - {name: cold, temperature: 0.5, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["Z2"]}
        options: {approach: local}
        """;

    private static readonly (Complex C, string Op)[] Terms =
    [
        (0.7, "Z0 Z2"), (-1.3, "X0 n1"), (new Complex(0.2, 0.5), "ad1 Z2"), (new Complex(0.2, -0.5), "a1 Z2"), (1, "Y0 Y2"),
        (-0.25, "n1 n1"),
    ];

    private static OpenSystemModel Model() => ModelFile.Parse(Text, ModelFileFormat.Yaml, "storage.yaml");

    private static void AssertSameEntries(Matrix<Complex> expected, Matrix<Complex> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.True(expected[i, j] == actual[i, j], $"[{i}, {j}]: expected {expected[i, j]}, got {actual[i, j]}");
    }

    [Fact]
    public void TermList_IsTheDenseSumOfItsScaledTerms_EntryForEntry()
    {
        var m = Model();
        Matrix<Complex>? sum = null;
        foreach (var (c, op) in Terms)
        {
            var term = OperatorParser.Parse(op, m.Space); // dense (d = 12)
            Assert.True(term.Storage.IsDense);
            if (c != Complex.One) term = term.Multiply(c);
            sum = sum is null ? term : sum + term;
        }
        AssertSameEntries(sum!, m.Hamiltonian);
        Assert.True(m.Hamiltonian.Storage.IsDense);
    }

    [Fact]
    public void KeptTerms_AreSparse_WithTheScaledTermsValues()
    {
        var m = Model();
        Assert.NotNull(m.HamiltonianTerms);
        Assert.Equal(Terms.Length, m.HamiltonianTerms!.Count);
        for (int t = 0; t < Terms.Length; t++)
        {
            var expected = OperatorParser.Parse(Terms[t].Op, m.Space);
            if (Terms[t].C != Complex.One) expected = expected.Multiply(Terms[t].C);
            AssertSameEntries(expected, m.HamiltonianTerms[t]);
            Assert.False(m.HamiltonianTerms[t].Storage.IsDense);
        }
    }

    [Fact]
    public void OperatorStringCouplings_AreSparse_WithTheParsedOperatorsValues()
    {
        var m = Model();
        var hot = m.Baths[0].Couplings;
        AssertSameEntries(OperatorParser.Parse("X0 Y2", m.Space), hot[0]);
        Assert.False(hot[0].Storage.IsDense);
        // a list of terms stays a dense sum
        AssertSameEntries(OperatorParser.Parse("a1", m.Space) + OperatorParser.Parse("ad1", m.Space), hot[1]);
        AssertSameEntries(OperatorParser.Parse("Z2", m.Space), m.Baths[1].Couplings[0]);
        Assert.False(m.Baths[1].Couplings[0].Storage.IsDense);
    }

    [Fact]
    public void BadTokenInATermList_IsReportedWithItsPath_OnASmallSpace()
    {
        var ex = Assert.ThrowsAny<DaviesException>(() =>
            ModelFile.Parse(Text.Replace("\"Y0 Y2\"", "\"Y0 Q2\""), ModelFileFormat.Yaml, "storage.yaml"));
        Assert.Contains("hamiltonian[4][1]", ex.Message);
        Assert.Contains("Q2", ex.Message);
    }
}

using System.Globalization;
using Davies.Spaces;

namespace Davies.Operators;

/// <summary>
/// Parses operator strings: a product of space-separated site tokens with coefficient 1, e.g. <c>"Z0 Z1"</c> or
/// <c>"ad2 a3"</c>. Tokens are <c>X</c>k, <c>Y</c>k, <c>Z</c>k (Pauli matrices, only on sites of dimension 2),
/// <c>a</c>k, <c>ad</c>k, <c>n</c>k (truncated boson a, a†, a†a, on a site of any dimension) and <c>I</c> (the identity;
/// <c>I</c>k is accepted too). Site indices count from 0. Tokens on the same site multiply in the written order
/// (<c>"X0 Z0"</c> is X·Z on site 0); tokens on different sites commute. An empty string is an error.
/// </summary>
public static class OperatorParser
{
    private const string TokenHelp = "site tokens are X<k>, Y<k>, Z<k>, a<k>, ad<k>, n<k> (e.g. Z0, ad2) or I";

    /// <summary>Parses <paramref name="text"/> into a matrix on <paramref name="space"/>.</summary>
    /// <exception cref="ModelException">
    /// Empty string, unknown token, site index out of range, or a Pauli token on a site whose dimension is not 2; the
    /// message quotes the token and the operator string.
    /// </exception>
    public static Matrix<Complex> Parse(string text, HilbertSpace space) => SiteOperators.Product(space, Factors(text, space));

    /// <summary>
    /// The non-zero entries (row, column, value) of the operator <paramref name="text"/>: those of <see cref="Parse"/>
    /// without the d × d matrix (a Pauli string has d of them).
    /// </summary>
    /// <exception cref="ModelException">As <see cref="Parse"/>.</exception>
    internal static List<(int Row, int Column, Complex Value)> Entries(string text, HilbertSpace space) =>
        SiteOperators.ProductEntries(space, Factors(text, space));

    /// <summary>The factor of each site (null: the identity) of the product <paramref name="text"/>.</summary>
    private static Matrix<Complex>?[] Factors(string text, HilbertSpace space)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(space);
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
            throw new ModelException("empty operator string; write \"I\" for the identity");
        var factors = new Matrix<Complex>?[space.SiteCount];
        foreach (var token in tokens)
        {
            if (token == "I") continue;
            var (kind, site, siteText) = SplitToken(token, text);
            if (site >= space.SiteCount)
                throw new ModelException($"site {siteText} in token '{token}' of operator \"{text}\" is out of range: the model has {space.SiteCount} site{(space.SiteCount == 1 ? "" : "s")} (0–{space.SiteCount - 1})");
            int d = space.Dimensions[(int)site];
            Matrix<Complex>? local = kind switch
            {
                "I" => null,
                "X" or "Y" or "Z" when d != 2 =>
                    throw new ModelException($"Pauli token '{token}' in operator \"{text}\" needs a site of dimension 2, but site {site} has dimension {d}"),
                "X" => SiteOperators.PauliX(),
                "Y" => SiteOperators.PauliY(),
                "Z" => SiteOperators.PauliZ(),
                "a" => SiteOperators.Annihilation(d),
                "ad" => SiteOperators.Creation(d),
                "n" => SiteOperators.Number(d),
                _ => throw new InvalidOperationException(kind),
            };
            if (local is null) continue;
            var current = factors[site];
            factors[site] = current is null ? local : current * local;
        }
        return factors;
    }

    /// <summary>Σ_t c_t · Parse(op_t): a linear combination of operator strings.</summary>
    /// <exception cref="ModelException">A term's string does not parse (see <see cref="Parse"/>), or there are no terms.</exception>
    public static Matrix<Complex> Sum(IEnumerable<(Complex Coefficient, string Operator)> terms, HilbertSpace space)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Matrix<Complex>? sum = null;
        foreach (var (c, op) in terms)
        {
            var m = Parse(op, space);
            if (c != Complex.One) m = m.Multiply(c);
            sum = sum is null ? m : sum + m;
        }
        return sum ?? throw new ModelException("an operator needs at least one term");
    }

    /// <summary>The token's kind and site; the site as text too (digits beyond the range of long are kept as written).</summary>
    private static (string Kind, long Site, string SiteText) SplitToken(string token, string text)
    {
        int i = 0;
        while (i < token.Length && !char.IsAsciiDigit(token[i])) i++;
        string kind = token[..i];
        string digits = token[i..];
        bool knownKind = kind is "X" or "Y" or "Z" or "a" or "ad" or "n" or "I";
        if (!knownKind || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            throw new ModelException($"unknown token '{token}' in operator \"{text}\"; {TokenHelp}");
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long site))
            return (kind, long.MaxValue, digits.TrimStart('0'));
        return (kind, site, site.ToString(CultureInfo.InvariantCulture));
    }
}

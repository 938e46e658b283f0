using System.Globalization;
using System.Text.Json;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Operators;

/// <summary>
/// Initial density matrices (site basis) for <see cref="Evolution"/>, their validation, and the textual forms used by
/// the command line. Every failure is a <see cref="ModelException"/> naming the problem.
/// </summary>
public static class InitialStates
{
    /// <summary>Tolerance of the state checks (Hermiticity, unit trace, positivity): 1e-8.</summary>
    public const double Tolerance = 1e-8;

    /// <summary>
    /// Parses a state specification:
    /// <c>ground</c> (the ground state of H_S; the uniform mixture over the ground level when it is degenerate),
    /// <c>gibbs</c> (e^{−βH_S}/Z; all baths must share one temperature),
    /// <c>maximally-mixed</c> (I/d),
    /// a site-basis product state label with one digit per site, site 0 first (e.g. <c>0</c>, <c>101</c>; a model with a
    /// single site also accepts a multi-digit level such as <c>12</c>, without leading zeros),
    /// <c>level:K</c> (the K-th eigenvector of H_S, 0 = ground, in the order of the energies),
    /// or the path of a JSON file <c>{"matrix": [[…], …]}</c> with entries numbers or [re, im] pairs.
    /// </summary>
    public static Matrix<Complex> Parse(string spec, EnergyBasisModel model)
    {
        var basis = model.Basis;
        var space = model.OpenSystem.Space;
        int d = basis.Dimension;
        string s = spec.Trim();
        switch (s.ToLowerInvariant())
        {
            case "ground":
                return basis.FromEigenbasis(Thermal.GibbsEigenbasis(basis, double.PositiveInfinity));
            case "gibbs":
                if (!model.OpenSystem.IsSingleTemperature)
                    throw new ModelException("--initial gibbs: the baths have different temperatures, so there is no single Gibbs state");
                return basis.FromEigenbasis(Thermal.GibbsEigenbasis(basis, model.OpenSystem.Baths[0].Beta));
            case "maximally-mixed":
                return Matrix<Complex>.Build.DenseIdentity(d) / d;
        }
        if (s.StartsWith("level:", StringComparison.OrdinalIgnoreCase))
        {
            string k = s[6..];
            if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out int idx) || idx >= d)
                throw new ModelException($"--initial '{spec}': level:K needs an eigenstate index K from 0 (ground) to {d - 1}");
            var v = basis.Vectors.Column(idx);
            return v.OuterProduct(v.Conjugate());
        }
        if (s.Length > 0 && s.All(char.IsAsciiDigit))
        {
            int index;
            if (space.SiteCount == 1)
            {
                // A level number written without leading zeros, so at most as many digits as d − 1 has: on a qubit
                // '000001' is a six-site label, not level 1.
                if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out index) || index >= d
                    || s.Length != index.ToString(CultureInfo.InvariantCulture).Length)
                    throw new ModelException($"--initial '{spec}': the model has one site, of dimension {d}; the label must be one level from 0 to {d - 1} (without leading zeros), got {s.Length} digit{(s.Length == 1 ? "" : "s")}");
            }
            else
            {
                if (s.Length != space.SiteCount)
                    throw new ModelException($"--initial '{spec}': a product-state label needs one digit per site ({space.SiteCount} sites), got {s.Length}");
                var local = s.Select(c => c - '0').ToArray();
                for (int k = 0; k < local.Length; k++)
                    if (local[k] >= space.Dimensions[k])
                        throw new ModelException($"--initial '{spec}': site {k} has dimension {space.Dimensions[k]}, so its digit must be below {space.Dimensions[k]}");
                index = space.IndexOf(local);
            }
            var rho = Matrix<Complex>.Build.Dense(d, d);
            rho[index, index] = 1;
            return rho;
        }
        if (s.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(s))
            return FromJsonFile(s, d);
        throw new ModelException($"--initial '{spec}': not a state; use ground, gibbs, maximally-mixed, a product label such as 0 or 101, level:K, or a JSON file {{\"matrix\": …}}");
    }

    /// <summary>Reads <c>{"matrix": [[…], …]}</c> (entries numbers or [re, im]) and validates it as a density matrix of dimension <paramref name="dimension"/>.</summary>
    internal static Matrix<Complex> FromJsonFile(string path, int dimension)
    {
        if (!File.Exists(path)) throw new ModelException($"--initial '{path}': file not found");
        string where = $"--initial '{path}'";
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ModelException($"{where}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("matrix", out var m))
                throw new ModelException($"{where}: expected an object with a \"matrix\" field");
            if (m.ValueKind != JsonValueKind.Array || m.GetArrayLength() != dimension)
                throw new ModelException($"{where}: \"matrix\" must be a list of {dimension} rows (the model's dimension)");
            var rho = Matrix<Complex>.Build.Dense(dimension, dimension);
            int i = 0;
            foreach (var row in m.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != dimension)
                    throw new ModelException($"{where}: matrix row {i} must be a list of {dimension} entries");
                int j = 0;
                foreach (var e in row.EnumerateArray())
                {
                    rho[i, j] = e.ValueKind switch
                    {
                        JsonValueKind.Number => new Complex(e.GetDouble(), 0),
                        JsonValueKind.Array when e.GetArrayLength() == 2 && e[0].ValueKind == JsonValueKind.Number && e[1].ValueKind == JsonValueKind.Number
                            => new Complex(e[0].GetDouble(), e[1].GetDouble()),
                        _ => throw new ModelException($"{where}: matrix entry [{i}, {j}] must be a number or a pair [re, im]"),
                    };
                    j++;
                }
                i++;
            }
            Validate(rho, dimension, where);
            return rho;
        }
    }

    /// <summary>
    /// Checks that <paramref name="rho"/> is a density matrix of dimension <paramref name="dimension"/>: finite, Hermitian,
    /// trace 1 and positive semidefinite, each to <see cref="Tolerance"/>.
    /// </summary>
    public static void Validate(Matrix<Complex> rho, int dimension, string what = "initial state")
    {
        if (rho.RowCount != dimension || rho.ColumnCount != dimension)
            throw new ModelException($"{what}: has dimension {rho.RowCount}×{rho.ColumnCount}, but the Hilbert space has dimension {dimension}");
        double defect = 0;
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++)
            {
                var z = rho[i, j];
                if (!double.IsFinite(z.Real) || !double.IsFinite(z.Imaginary))
                    throw new ModelException($"{what}: entry [{i}, {j}] is not a finite number");
                defect = Math.Max(defect, (z - Complex.Conjugate(rho[j, i])).Magnitude);
            }
        if (defect > Tolerance) throw new ModelException($"{what}: not Hermitian (largest |ρ − ρ†| entry {defect:G3})");
        double tr = rho.Trace().Real;
        if (Math.Abs(tr - 1) > Tolerance) throw new ModelException($"{what}: the trace is {tr:G10}, not 1");
        var h = 0.5 * (rho + rho.ConjugateTranspose());
        double min = h.Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real);
        if (min < -Tolerance) throw new ModelException($"{what}: not positive semidefinite (smallest eigenvalue {min:G3})");
    }

    /// <summary>Throws unless t is finite and ≥ 0.</summary>
    internal static void CheckTime(double t)
    {
        if (!double.IsFinite(t) || t < 0) throw new ModelException($"times: every time must be finite and ≥ 0, got {t}");
    }

    /// <summary>
    /// Parses a list of times: a comma list such as <c>0,0.5,1,10</c>, or <c>start:stop:count</c> (count ≥ 1 evenly
    /// spaced times from start to stop inclusive). Times must be finite and ≥ 0.
    /// </summary>
    public static double[] ParseTimes(string text)
    {
        string s = text.Trim();
        if (s.Length == 0) throw new ModelException("--times: empty; give a comma list such as 0,0.5,1 or start:stop:count");
        double Num(string x, string what)
        {
            if (!double.TryParse(x.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new ModelException($"--times '{text}': {what} '{x.Trim()}' is not a number");
            if (v < 0) throw new ModelException($"--times '{text}': times must be ≥ 0, got {v}");
            return v;
        }
        if (s.Contains(':'))
        {
            var parts = s.Split(':');
            if (parts.Length != 3) throw new ModelException($"--times '{text}': a range is start:stop:count");
            double a = Num(parts[0], "start"), b = Num(parts[1], "stop");
            if (!int.TryParse(parts[2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1_000_000)
                throw new ModelException($"--times '{text}': count '{parts[2].Trim()}' must be an integer from 1 to 1000000");
            if (b < a) throw new ModelException($"--times '{text}': stop must not be below start");
            if (n == 1) return [a];
            return Enumerable.Range(0, n).Select(i => i == n - 1 ? b : a + (b - a) * i / (n - 1)).ToArray();
        }
        return s.Split(',').Select(x => Num(x, "time")).ToArray();
    }
}

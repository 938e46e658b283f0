using System.Globalization;
using Davies.Models;

namespace Davies.Studies;

/// <summary>
/// Bad input to a sweep: a malformed SPEC, a shard out of range, an output file of a different sweep, a missing or
/// duplicated point when merging. Thrown by an evaluator passed to <see cref="SweepRunner.Run"/>, it stops the whole
/// sweep (it is about the sweep, not one point), unlike the other <see cref="DaviesException"/>s, which make the point a
/// row with an error.
/// </summary>
public class SweepException : DaviesException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public SweepException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public SweepException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// One swept parameter: its name and its values, parsed from <c>name=SPEC</c> (docs/sweeps.md): SPEC is
/// <c>start:stop:count</c> (count values evenly spaced, both ends included), <c>start:stop:count:log</c> (evenly spaced
/// in log, start and stop &gt; 0), or a list <c>v1,v2,…</c> (one value is a list of one). Every number may be a constant
/// expression of the model-file syntax (<c>2*pi</c>, <c>1/3</c>, <c>sqrt(2)</c>; no parameter names).
/// </summary>
public sealed class SweepAxis
{
    /// <summary>The most values one axis may have.</summary>
    public const int MaxCount = 1_000_000;

    private SweepAxis(string name, string spec, double[] values, bool logarithmic)
    {
        Name = name;
        Spec = spec;
        Values = values;
        Logarithmic = logarithmic;
    }

    /// <summary>The parameter's name.</summary>
    public string Name { get; }

    /// <summary>The SPEC as given (without surrounding blanks).</summary>
    public string Spec { get; }

    /// <summary>The values, in the order of the SPEC.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Whether the SPEC is a logarithmic range (plots use a log axis for it).</summary>
    public bool Logarithmic { get; }

    /// <summary>Parses <c>name=SPEC</c>.</summary>
    /// <exception cref="SweepException">No '=', a malformed name or SPEC.</exception>
    public static SweepAxis Parse(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        int eq = assignment.IndexOf('=');
        if (eq < 0) throw new SweepException($"'{assignment}': expected name=SPEC, e.g. T=0.1:2:20 or g=0.1,0.2,0.5");
        return Parse(assignment[..eq], assignment[(eq + 1)..]);
    }

    /// <summary>Parses a SPEC for the parameter <paramref name="name"/>.</summary>
    /// <exception cref="SweepException">A malformed name or SPEC.</exception>
    public static SweepAxis Parse(string name, string spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(spec);
        name = name.Trim();
        spec = spec.Trim();
        string what = $"'{name}={spec}'";
        if (!Expression.IsName(name))
            throw new SweepException($"{what}: '{name}' is not a parameter name (a letter or _ followed by letters, digits or _)");
        if (spec.Length == 0) throw new SweepException($"{what}: the SPEC is empty; give start:stop:count, start:stop:count:log or v1,v2,…");
        if (spec.Contains(':'))
        {
            var parts = spec.Split(':');
            bool log = parts.Length == 4 && parts[3].Trim() == "log";
            if (parts.Length != 3 && !log)
                throw new SweepException($"{what}: malformed SPEC: a range is start:stop:count or start:stop:count:log");
            double start = Number(parts[0], "start", what), stop = Number(parts[1], "stop", what);
            string countText = parts[2].Trim();
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxCount)
                throw new SweepException($"{what}: malformed SPEC: count '{countText}' must be a whole number from 1 to {MaxCount:N0}");
            if (log && !(start > 0 && stop > 0))
                throw new SweepException($"{what}: a log range needs start > 0 and stop > 0");
            var values = new double[n];
            for (int k = 0; k < n; k++)
                values[k] = k == 0 ? start : k == n - 1 ? stop
                    : log ? Math.Exp(Math.Log(start) + (Math.Log(stop) - Math.Log(start)) * k / (n - 1))
                    : start + (stop - start) * k / (n - 1);
            return new SweepAxis(name, spec, values, log);
        }
        var items = SplitList(spec);
        if (items.Count > MaxCount) throw new SweepException($"{what}: more than {MaxCount:N0} values");
        return new SweepAxis(name, spec, items.Select(x => Number(x, "value", what)).ToArray(), false);
    }

    /// <summary>Splits at commas outside parentheses (so that min(1, 2) stays one value).</summary>
    private static List<string> SplitList(string spec)
    {
        var items = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i] == '(') depth++;
            else if (spec[i] == ')') depth--;
            else if (spec[i] == ',' && depth == 0)
            {
                items.Add(spec[start..i]);
                start = i + 1;
            }
        }
        items.Add(spec[start..]);
        return items;
    }

    private static double Number(string text, string role, string what)
    {
        string t = text.Trim();
        if (t.Length == 0) throw new SweepException($"{what}: malformed SPEC: the {role} is empty");
        try
        {
            return Expression.Parse(t).EvaluateReal(_ => null);
        }
        catch (ExpressionException e)
        {
            string problem = e.Problem == ExpressionProblem.UnknownName
                ? $"'{e.Name}' is not a number (a SPEC holds numbers and constant expressions such as 2*pi, not names)"
                : e.Message;
            throw new SweepException($"{what}: malformed SPEC: the {role} '{t}': {problem}");
        }
    }

    /// <summary>name=SPEC.</summary>
    public override string ToString() => $"{Name}={Spec}";
}

/// <summary>
/// The k-th of N interleaved slices of a grid: point p belongs to shard p mod N. Shards count from 0, like
/// <c>$SLURM_ARRAY_TASK_ID</c> of <c>sbatch --array=0-(N−1)</c> and <c>$JOB_COMPLETION_INDEX</c> of a Kubernetes Indexed Job.
/// </summary>
/// <param name="Index">k, from 0 to N − 1.</param>
/// <param name="Count">N ≥ 1.</param>
public readonly record struct SweepShard(int Index, int Count)
{
    /// <summary>The whole grid (0/1).</summary>
    public static SweepShard All => new(0, 1);

    /// <summary>Parses <c>k/N</c>.</summary>
    /// <exception cref="SweepException">Not of the form k/N, N &lt; 1, or k outside 0 … N − 1.</exception>
    public static SweepShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new SweepException($"shard '{text}': expected k/N with whole numbers, e.g. 0/4 (shards count from 0)");
        if (n < 1) throw new SweepException($"shard '{text}': N must be at least 1");
        if (k >= n)
            throw new SweepException($"shard '{text}': k must be from 0 to N − 1 = {n - 1} (shards count from 0, like $SLURM_ARRAY_TASK_ID and $JOB_COMPLETION_INDEX)");
        return new SweepShard(k, n);
    }

    /// <summary>Whether point <paramref name="point"/> belongs to this shard.</summary>
    public bool Contains(int point) => Count <= 1 || point % Count == Index;

    /// <summary>k/N.</summary>
    public override string ToString() => $"{Index}/{Count}";
}

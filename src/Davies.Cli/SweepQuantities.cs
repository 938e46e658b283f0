using System.Globalization;
using System.Text;
using System.Text.Json;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Studies;

namespace Davies.Cli;

/// <summary>
/// The quantities of a sweep: JSON paths into the documents of steady (no prefix, or steady.), spectrum. and evolve.
/// (docs/sweeps.md). A point builds the model, decomposes it once, runs only the commands its paths name, writes only
/// the top-level sections they ask for (so only those are computed), and reads each number at its path: the very
/// numbers `davies COMMAND --json` prints.
/// </summary>
internal sealed class SweepQuantities
{
    /// <summary>The commands a path may name and the top-level keys of their JSON documents.</summary>
    private static readonly Dictionary<string, string[]> Commands = new()
    {
        ["steady"] = SteadyCommand.Sections.SelectMany(s => s.Keys).ToArray(),
        ["spectrum"] = SpectrumCommand.Sections.SelectMany(s => s.Keys).ToArray(),
        ["evolve"] = EvolveCommand.Sections.SelectMany(s => s.Keys).ToArray(),
    };

    /// <summary>Options of the commands that a sweep passes on (--initial, --times, --until, --modes, --full).</summary>
    public sealed record Settings(string? Initial, string? Times, double? Until, int? Modes, bool Full);

    /// <summary>One path: the text as given, its command and its segments after the command (keys, or indices).</summary>
    private sealed record Quantity(string Text, string Command, object[] Segments)
    {
        public string Key => (string)Segments[0];
    }

    private readonly Quantity[] _quantities;
    private readonly Settings _settings;
    private readonly double[]? _times;
    private int _validated;

    private SweepQuantities(Quantity[] quantities, Settings settings, double[]? times)
    {
        _quantities = quantities;
        _settings = settings;
        _times = times;
    }

    /// <summary>The paths as given, in order.</summary>
    public IReadOnlyList<string> Paths => _quantities.Select(q => q.Text).ToArray();

    /// <summary>The settings that change the numbers, for the output file's header (only those given).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HeaderSettings
    {
        get
        {
            var list = new List<KeyValuePair<string, string>>();
            if (_settings.Initial is { } i) list.Add(KeyValuePair.Create("initial", i));
            if (_settings.Times is { } t) list.Add(KeyValuePair.Create("times", t));
            if (_settings.Until is { } u) list.Add(KeyValuePair.Create("until", SweepFile.Number(u)));
            if (_settings.Modes is { } k) list.Add(KeyValuePair.Create("modes", k.ToString(CultureInfo.InvariantCulture)));
            if (_settings.Full) list.Add(KeyValuePair.Create("full", "true"));
            return list;
        }
    }

    /// <summary>Parses and checks the paths (command, top-level key, the options they need) before any point runs.</summary>
    /// <exception cref="SweepException">No quantity, a malformed or unknown path, or a missing option.</exception>
    public static SweepQuantities Parse(IReadOnlyList<string> paths, Settings settings)
    {
        if (paths.Count == 0)
            throw new SweepException("davies sweep needs at least one --quantity PATH (a number the commands print, e.g. expectations.sz, heat_currents.hot, spectrum.spectral_gap)");
        var quantities = new List<Quantity>();
        foreach (var text in paths)
        {
            var segments = Segments(text);
            string command = "steady";
            if (segments.Count > 1 && segments[0] is string first && Commands.ContainsKey(first))
            {
                command = first;
                segments.RemoveAt(0);
            }
            if (segments[0] is not string key)
                throw new SweepException($"--quantity '{text}': a path starts with a key of the JSON document, e.g. expectations.sz");
            var keys = Commands[command];
            if (!keys.Contains(key))
            {
                var hint = Suggest(key, Commands.Values.SelectMany(k => k).Distinct());
                string where = Commands.Where(c => c.Value.Contains(key)).Select(c => c.Key).FirstOrDefault() is { } other
                    ? $" ('{key}' is a key of davies {other}: write {other}.{text})"
                    : hint is not null ? $" (did you mean '{hint}'?)" : "";
                throw new SweepException($"--quantity '{text}': unknown quantity: '{key}' is not a key of davies {command} --json{where}; " +
                                         $"its keys are {string.Join(", ", keys)}; prefix spectrum. or evolve. for those commands (docs/sweeps.md)");
            }
            if (command == "evolve" && (settings.Initial is null || settings.Times is null))
                throw new SweepException($"--quantity '{text}': evolve quantities need --initial STATE and --times TIMES");
            if (command == "evolve" && key is "until" or "convergence_time" && settings.Until is null)
                throw new SweepException($"--quantity '{text}': needs --until EPS (the trace distance below which the state counts as converged)");
            if (key is "expectations" && segments.Count < 2)
                throw new SweepException($"--quantity '{text}': name the observable, e.g. {text}.sz or {text}[\"Z0 Z1\"] (an observable of the model or an operator string)");
            quantities.Add(new Quantity(text, command, segments.ToArray()));
        }
        double[]? times = null;
        if (settings.Times is { } t) times = Davies.Operators.InitialStates.ParseTimes(t);
        if (settings.Modes is < 0) throw new SweepException($"--modes {settings.Modes}: must be ≥ 0");
        if (settings.Until is { } eps && !(eps > 0 && eps < 1)) throw new SweepException($"--until {eps}: ε must be in (0, 1)");
        return new SweepQuantities(quantities.ToArray(), settings, times);
    }

    /// <summary>Splits a path: keys separated by '.', indices [n] (n &lt; 0 counts from the end), quoted keys ["a.b"].</summary>
    private static List<object> Segments(string text)
    {
        var segments = new List<object>();
        var key = new StringBuilder();
        int i = 0;
        SweepException Bad(string why) => new($"--quantity '{text}': malformed path ({why}); write keys separated by dots and list positions in brackets, e.g. validity.secular.value or energies[0]");
        void EndKey(bool required)
        {
            if (key.Length > 0) segments.Add(key.ToString());
            else if (required) throw Bad($"an empty key at character {i + 1}");
            key.Clear();
        }
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '.')
            {
                EndKey(required: segments.Count == 0 || text[i - 1] != ']');
                i++;
            }
            else if (c == '[')
            {
                EndKey(required: false);
                int close = text.IndexOf(']', i);
                if (close < 0) throw Bad($"the '[' at character {i + 1} is not closed");
                string inner = text[(i + 1)..close].Trim();
                if (inner.Length >= 2 && inner[0] == '"' && inner[^1] == '"') segments.Add(inner[1..^1]);
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index)) segments.Add(index);
                else throw Bad($"'[{inner}]' is neither a position such as [0] or [-1] nor a quoted key such as [\"Z0 Z1\"]");
                i = close + 1;
                if (i < text.Length && text[i] is not ('.' or '[')) throw Bad($"expected '.' or '[' after ']' at character {i + 1}");
            }
            else
            {
                key.Append(c);
                i++;
            }
        }
        if (text.Length == 0 || text[^1] == '.') throw Bad("it ends without a key");
        EndKey(required: false);
        if (segments.Count == 0) throw Bad("it is empty");
        return segments;
    }

    /// <summary>The quantities at one point (NaN where the document holds null).</summary>
    public IReadOnlyList<double> Evaluate(ModelTemplate template, SweepPoint point, CancellationToken cancellation)
    {
        var model = template.Instantiate(point.Parameters);
        EnergyBasisModel? dm = null;
        EnergyBasisModel Decomposed() => dm ??= EnergyBasisModel.Build(model, null, null, cancellation);
        var documents = new Dictionary<string, JsonDocument>();
        try
        {
            foreach (var command in _quantities.Select(q => q.Command).Distinct())
            {
                var mine = _quantities.Where(q => q.Command == command).ToArray();
                var keys = mine.Select(q => q.Key).ToHashSet();
                var ops = Operators(model, mine);
                string json = command switch
                {
                    "steady" => SteadyCommand.Document(
                        new SteadyReport(Decomposed(), ops, _settings.Initial, keys.Contains("comparison"), null, cancellation),
                        keys.Contains("density_matrix"), keys.Contains),
                    "spectrum" => SpectrumCommand.Document(
                        new SpectrumCommand.SpectrumReport(Decomposed(), new SpectrumOptions(Modes: _settings.Modes ?? 10, Full: _settings.Full) { Cancellation = cancellation }),
                        keys.Contains),
                    _ => EvolveCommand.Document(
                        new EvolveReport(Decomposed(), _settings.Initial!, _times!, ops, keys.Overlaps(ThermoOutput.JsonKeys), _settings.Until, null, cancellation),
                        keys.Contains),
                };
                cancellation.ThrowIfCancellationRequested();
                documents[command] = JsonDocument.Parse(json);
            }
            var values = new double[_quantities.Length];
            for (int k = 0; k < values.Length; k++) values[k] = Read(documents[_quantities[k].Command].RootElement, _quantities[k]);
            Interlocked.Exchange(ref _validated, 1);
            return values;
        }
        finally
        {
            foreach (var d in documents.Values) d.Dispose();
        }
    }

    /// <summary>The operators of the expectations paths of one command (an unknown one stops the sweep: it is a bad path, not a bad point).</summary>
    private static NamedOperator[] Operators(OpenSystemModel model, Quantity[] quantities)
    {
        var names = quantities.Where(q => q.Key == "expectations" && q.Segments[1] is string).Select(q => (string)q.Segments[1]).Distinct().ToArray();
        try
        {
            return names.Select(n => new NamedOperator(n, Observables.Resolve(model, n))).ToArray();
        }
        catch (ModelException e)
        {
            throw new SweepException($"--quantity expectations.…: {e.Message.Replace("--observe ", "", StringComparison.Ordinal)}", e);
        }
    }

    /// <summary>The number at a path. A path that does not resolve stops the sweep until a point has resolved them all; later it is that point's error.</summary>
    private double Read(JsonElement root, Quantity q)
    {
        var e = root;
        string at = q.Command == "steady" ? "" : q.Command;
        foreach (var s in q.Segments)
        {
            string next = s is int i ? $"{at}[{i}]" : at.Length == 0 ? (string)s : $"{at}.{s}";
            if (e.ValueKind == JsonValueKind.Object && s is string key)
            {
                if (!e.TryGetProperty(key, out var child))
                {
                    var names = e.EnumerateObject().Select(p => p.Name).ToArray();
                    string hint = Suggest(key, names) is { } h ? $"; did you mean '{h}'?" : "";
                    throw Unresolved(q, names.Length == 0
                        ? $"'{at}' has no key '{key}' (it is empty here)"
                        : $"'{(at.Length == 0 ? "the document" : at)}' has no key '{key}' (its keys: {string.Join(", ", names)}{hint})");
                }
                e = child;
            }
            else if (e.ValueKind == JsonValueKind.Array && (s is int || (s is string t && int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))))
            {
                int index = s is int n ? n : int.Parse((string)s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                int length = e.GetArrayLength();
                int k = index < 0 ? length + index : index;
                if (k < 0 || k >= length) throw Unresolved(q, $"'{at}' has {length} entries; [{index}] is outside them");
                e = e[k];
            }
            else throw Unresolved(q, $"'{at}' is {Describe(e)}: it has no '{s}'");
            at = next;
        }
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.GetDouble(),
            JsonValueKind.Null => double.NaN,
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            JsonValueKind.Array when e.GetArrayLength() == 2 && q.Key == "expectations" && e[0].ValueKind == JsonValueKind.Number && e[1].ValueKind == JsonValueKind.Number
                => throw Unresolved(q, $"'{at}' is a complex number [re, im] (a non-Hermitian observable): add [0] for its real part or [1] for its imaginary part"),
            JsonValueKind.Array => throw Unresolved(q, $"'{at}' is a list of {e.GetArrayLength()} values: add a position, e.g. {q.Text}[0], or [-1] for the last"),
            JsonValueKind.Object => throw Unresolved(q, $"'{at}' is an object: add one of its keys ({string.Join(", ", e.EnumerateObject().Select(p => p.Name))})"),
            _ => throw Unresolved(q, $"'{at}' is {Describe(e)}, not a number"),
        };
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{e.GetString()}\"",
        JsonValueKind.Array => $"a list of {e.GetArrayLength()} values",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "a number",
    };

    private DaviesException Unresolved(Quantity q, string problem)
    {
        string message = $"--quantity '{q.Text}': {problem}";
        return Volatile.Read(ref _validated) == 0 ? new SweepException(message) : new ModelException(message);
    }

    /// <summary>The nearest of <paramref name="candidates"/> to <paramref name="name"/> when close enough (edit distance).</summary>
    internal static string? Suggest(string name, IEnumerable<string> candidates)
    {
        static int Distance(string s, string t)
        {
            var d = new int[s.Length + 1, t.Length + 1];
            for (int i = 0; i <= s.Length; i++) d[i, 0] = i;
            for (int k = 0; k <= t.Length; k++) d[0, k] = k;
            for (int i = 1; i <= s.Length; i++)
                for (int k = 1; k <= t.Length; k++)
                    d[i, k] = Math.Min(Math.Min(d[i - 1, k] + 1, d[i, k - 1] + 1), d[i - 1, k - 1] + (s[i - 1] == t[k - 1] ? 0 : 1));
            return d[s.Length, t.Length];
        }
        var best = candidates.OrderBy(c => Distance(name, c)).FirstOrDefault();
        return best is not null && Distance(name, best) <= Math.Max(1, name.Length / 3) ? best : null;
    }
}

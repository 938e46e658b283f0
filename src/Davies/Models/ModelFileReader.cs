using System.Globalization;
using Davies.Baths;
using Davies.Operators;
using Davies.Spaces;

namespace Davies.Models;

/// <summary>
/// The schema reader: walks the format-neutral node tree (<see cref="Node"/>) and builds an
/// <see cref="OpenSystemModel"/>. Schema errors throw <see cref="ModelFileException"/>, invalid content
/// <see cref="ModelException"/>; every message is "&lt;source&gt;: &lt;path&gt; (line N): &lt;problem&gt;".
/// </summary>
internal sealed partial class ModelFileReader(string source, IReadOnlyDictionary<string, double>? overrides = null)
{
    private static readonly string[] TopLevelKeys = ["parameters", "sites", "hamiltonian", "baths", "observables", "options", "machine", "symmetries"];
    private static readonly string[] BathKeys = ["name", "temperature", "beta", "spectrum", "couplings"];
    private static readonly string[] OptionKeys = ["secular", "lamb_shift", "tolerance", "approach"];
    private static readonly string[] Approaches = ["global", "local"];
    private static readonly string[] SecularModes = ["partial", "none"];

    /// <summary>One spectrum type: its parameter keys (besides <c>type</c>) and how to build the rate function.</summary>
    private sealed record SpectrumKind(string[] Keys, Func<ModelFileReader, Fields, double, IRateFunction> Build);

    private static readonly Dictionary<string, SpectrumKind> Spectra = new()
    {
        ["ohmic"] = new(["eta", "cutoff", "exponent"], (r, f, beta) => new ThermalRates(
            new OhmicSpectralDensity(r.Positive(f, "eta"), r.Positive(f, "cutoff"), r.Exponent(f)), beta)),
        ["drude"] = new(["lambda", "gamma"], (r, f, beta) => new ThermalRates(
            new DrudeLorentzSpectralDensity(r.Positive(f, "lambda"), r.Positive(f, "gamma")), beta)),
        ["tabulated"] = new(["points"], (r, f, beta) => new ThermalRates(
            new TabulatedSpectralDensity(r.Table(f.Required("points"), f.PathOf("points"))), beta)),
        ["metropolis"] = new(["rate"], (r, f, beta) => new MetropolisRates(r.Positive(f, "rate"), beta)),
        ["glauber"] = new(["rate"], (r, f, beta) => new GlauberRates(r.Positive(f, "rate"), beta)),
    };

    private readonly string _source = source;
    private readonly IReadOnlyDictionary<string, double> _overrides = overrides ?? new Dictionary<string, double>();

    /// <summary>Operator strings already parsed, shared by the instantiations of one <see cref="ModelTemplate"/> (null: none).</summary>
    internal OperatorCache? _operatorCache;
    private bool _hamiltonianIsMatrix;
    private List<Matrix<Complex>> _hamiltonianTerms = [];

    public OpenSystemModel Read(string text, ModelFileFormat format) => Build(Parse(text, format));

    /// <summary>The document tree of a model file, checked to be a mapping (no schema checks yet).</summary>
    public MappingNode Parse(string text, ModelFileFormat format)
    {
        if (text.Length > ModelLimits.MaxFileBytes)
            throw new ModelFileException($"{_source}: the model is larger than {ModelLimits.MaxFileBytes / (1024 * 1024)} MiB ({text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters); model files are limited to {ModelLimits.MaxFileBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        if (string.IsNullOrWhiteSpace(text)) throw new ModelFileException($"{_source}: the file is empty");
        Node? root;
        try
        {
            root = format == ModelFileFormat.Json ? JsonFrontEnd.Parse(text) : YamlFrontEnd.Parse(text, TopLevelKeys);
        }
        catch (SyntaxError e)
        {
            string where = e.Line is null ? "" : e.Column is null ? $"line {e.Line}: " : $"line {e.Line}, column {e.Column}: ";
            throw new ModelFileException($"{_source}: {where}{OneLine(e.Message)}", e);
        }
        if (root is null || root is ScalarNode { Kind: ScalarKind.Null })
            throw new ModelFileException($"{_source}: the file is empty (it holds no model)");
        if (root is not MappingNode rootMap)
            throw Schema(root, "", $"the top level must be a mapping with keys {string.Join(", ", TopLevelKeys)}; got {root.Describe()}");
        return rootMap;
    }

    /// <summary>Builds the model from a document tree (<see cref="Parse"/>), the parameters evaluated first.</summary>
    public OpenSystemModel Build(MappingNode rootMap)
    {
        var top = new Fields(this, rootMap, "", TopLevelKeys);
        ReadParameters(rootMap);
        var hamNode = top.Required("hamiltonian");
        var bathsNode = top.Required("baths");

        HilbertSpace? space = null;
        if (top.Optional("sites") is { } sitesNode) space = Sites(sitesNode, "sites");
        else if (!IsMatrixOperator(hamNode))
            throw Schema(rootMap, "sites", "missing: 'sites' (the list of local dimensions, e.g. [2, 2]) is required when the hamiltonian is written with site operators; only a {matrix: …} hamiltonian may omit it");

        _hamiltonianIsMatrix = IsMatrixOperator(hamNode);
        var (h, hamiltonianLabel) = Operator(hamNode, "hamiltonian", space, _hamiltonianTerms = []);
        space ??= HilbertSpace.Single(h.RowCount);
        double hScale = LargestEntry(h);
        if (hScale != 0 && hScale < ModelLimits.MinMagnitude)
            throw Invalid(hamNode, "hamiltonian", $"the largest entry of the Hamiltonian is {hScale.ToString("G3", CultureInfo.InvariantCulture)}, below {Lim(ModelLimits.MinMagnitude)}: its energy scale is outside the valid range {Lim(ModelLimits.MinMagnitude)} ≤ max|H_ij| ≤ {Lim(ModelLimits.MaxMagnitude)} (or H = 0); use a smaller energy unit");
        if (!OpenSystemModel.IsHermitian(h))
            throw Invalid(hamNode, "hamiltonian", $"the Hamiltonian is not Hermitian (largest |H − H†| entry {OpenSystemModel.HermitianDefect(h).ToString("G3", CultureInfo.InvariantCulture)})");

        var baths = Baths(bathsNode, "baths", space);

        var observables = new Dictionary<string, Matrix<Complex>>();
        if (top.Optional("observables") is { } obsNode)
        {
            var obsMap = Mapping(obsNode, "observables");
            foreach (var (name, node) in obsMap.Entries)
                observables[name] = Operator(node, $"observables.{name}", space).Matrix;
        }

        var options = top.Optional("options") is { } optNode ? Options(optNode, "options") : new ModelOptions();
        var machine = top.Optional("machine") is { } machineNode ? Machine(machineNode, "machine", baths) : null;
        var symmetries = top.Optional("symmetries") is { } symNode ? Symmetries(symNode, "symmetries", h, space) : null;

        try
        {
            return new OpenSystemModel(space, h, baths, observables, options, _hamiltonianIsMatrix ? null : _hamiltonianTerms)
            {
                SourceName = _source, Machine = machine, HamiltonianLabel = hamiltonianLabel, Symmetries = symmetries,
            };
        }
        catch (ModelException ex)
        {
            throw new ModelException($"{_source}: {OneLine(ex.Message)}", ex);
        }
    }

    // ---------------------------------------------------------------- sections

    // symmetries: [flip, reflection, …]: names, then each verified against H_S (an error names symmetries[i] and its line)
    private List<Symmetries.SymmetryKind> Symmetries(Node node, string path, Matrix<Complex> h, HilbertSpace space)
    {
        var seq = Sequence(node, path);
        var kinds = new List<Symmetries.SymmetryKind>();
        for (int i = 0; i < seq.Items.Count; i++)
        {
            string name = String(seq.Items[i], $"{path}[{i}]");
            if (!Davies.Symmetries.SymmetryNames.TryParse(name, out var kind))
                throw Invalid(seq.Items[i], $"{path}[{i}]", $"unknown symmetry '{name}'; use {string.Join(", ", Enum.GetValues<Symmetries.SymmetryKind>().Select(k => Davies.Symmetries.SymmetryNames.ToWireName(k)))}");
            kinds.Add(kind);
        }
        Davies.Symmetries.SymmetryResolution.Verify(kinds, h, space, fail: (i, problem) => Invalid(seq.Items[i], $"{path}[{i}]", problem));
        return kinds;
    }

    private HilbertSpace Sites(Node node, string path)
    {
        var seq = Sequence(node, path);
        if (seq.Items.Count == 0) throw Invalid(node, path, "the list of site dimensions is empty; give one dimension per site, e.g. [2, 2]");
        var dims = new int[seq.Items.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = Integer(seq.Items[i], $"{path}[{i}]");
            if (dims[i] < 1) throw Invalid(seq.Items[i], $"{path}[{i}]", $"a site dimension must be ≥ 1, got {Shown(seq.Items[i], dims[i])}");
        }
        HilbertSpace space;
        try
        {
            space = new HilbertSpace(dims);
        }
        catch (ModelException ex)
        {
            throw Invalid(node, path, ex.Message);
        }
        // Nothing of a larger space fits d×d arrays: refuse before any operator is built.
        if (space.Dimension > Spectral.EnergyBasisModel.MaxDimension)
        {
            double bytes = (double)space.Dimension * space.Dimension * 8 * 3;
            throw Invalid(node, path,
                $"the Hilbert space has dimension {space.Dimension}, more than {Spectral.EnergyBasisModel.MaxDimension}, the largest Davies holds as d×d arrays (the eigenvectors of H alone would need about {Solvers.Bytes.Format(bytes / 3)}; the model in its eigenbasis at least {Solvers.Bytes.Format(bytes)})");
        }
        return space;
    }

    private List<Bath> Baths(Node node, string path, HilbertSpace space)
    {
        var seq = Sequence(node, path);
        if (seq.Items.Count == 0) throw Invalid(node, path, "the model has no baths; at least one is needed");
        var baths = new List<Bath>();
        var names = new Dictionary<string, int>();
        for (int b = 0; b < seq.Items.Count; b++)
        {
            string bp = $"{path}[{b}]";
            var f = new Fields(this, Mapping(seq.Items[b], bp), bp, BathKeys);
            var nameNode = f.Required("name");
            string name = String(nameNode, f.PathOf("name"));
            if (string.IsNullOrWhiteSpace(name)) throw Invalid(nameNode, f.PathOf("name"), "the bath name is empty");
            if (names.TryGetValue(name, out int first))
                throw Invalid(nameNode, f.PathOf("name"), $"duplicate bath name '{name}' (also used by {path}[{first}]); bath names must be unique");
            names[name] = b;

            double beta = Beta(f);
            var spectrumNode = f.Required("spectrum");
            var rates = Spectrum(spectrumNode, f.PathOf("spectrum"), beta);

            var couplingsNode = f.Required("couplings");
            var cseq = Sequence(couplingsNode, f.PathOf("couplings"));
            if (cseq.Items.Count == 0) throw Invalid(couplingsNode, f.PathOf("couplings"), "the bath has no couplings; list at least one operator");
            var couplings = new List<Matrix<Complex>>();
            var labels = new List<string>();
            for (int c = 0; c < cseq.Items.Count; c++)
            {
                string cp = $"{f.PathOf("couplings")}[{c}]";
                var (m, label) = Operator(cseq.Items[c], cp, space, sparse: true);
                if (!OpenSystemModel.IsHermitian(m))
                    throw Invalid(cseq.Items[c], cp, "coupling operators must be Hermitian (H_I = S ⊗ B with Hermitian S, B); e.g. use a0 + ad0 instead of a0");
                couplings.Add(m);
                labels.Add(label);
            }
            baths.Add(new Bath(name, rates, couplings, labels));
        }
        return baths;
    }

    private double Beta(Fields f)
    {
        var tNode = f.Optional("temperature");
        var bNode = f.Optional("beta");
        if (tNode is not null && bNode is not null)
            throw Schema(bNode, f.PathOf("beta"), "give either 'temperature' or 'beta', not both");
        if (tNode is not null)
        {
            double t = Number(tNode, f.PathOf("temperature"));
            if (t < 0) throw Invalid(tNode, f.PathOf("temperature"), $"negative temperature {Shown(tNode, t)}; temperatures must be ≥ 0 (units ħ = k_B = 1)");
            if (t != 0) InRange(tNode, f.PathOf("temperature"), t, "T", " (or T = 0)");
            return t == 0 ? double.PositiveInfinity : 1.0 / t;
        }
        if (bNode is not null)
        {
            double beta = Number(bNode, f.PathOf("beta"));
            if (beta <= 0) throw Invalid(bNode, f.PathOf("beta"), $"beta must be > 0 (use temperature: 0 for T = 0), got {Shown(bNode, beta)}");
            InRange(bNode, f.PathOf("beta"), beta, "β", " (use temperature: 0 for T = 0)");
            return beta;
        }
        throw Schema(f.Node, f.Path, "missing 'temperature' (or 'beta'); give exactly one of them");
    }

    private IRateFunction Spectrum(Node node, string path, double beta)
    {
        var map = Mapping(node, path);
        var typeEntry = map.Entries.FirstOrDefault(e => e.Key == "type");
        if (typeEntry.Value is null) throw Schema(node, path, $"missing 'type'; one of {string.Join(", ", Spectra.Keys)}");
        string type = String(typeEntry.Value, $"{path}.type");
        if (!Spectra.TryGetValue(type, out var kind))
            throw Schema(typeEntry.Value, $"{path}.type", $"unknown spectrum type '{type}'; known types are {string.Join(", ", Spectra.Keys)}{Suggest(type, Spectra.Keys)}");
        var f = new Fields(this, map, path, ["type", .. kind.Keys]);
        try
        {
            return kind.Build(this, f, beta);
        }
        catch (ModelException ex) when (ex.Message.StartsWith(_source + ":", StringComparison.Ordinal) is false)
        {
            // Validation by the spectral-density / rate constructors.
            throw Invalid(node, path, ex.Message);
        }
    }

    private List<(double Omega, double J)> Table(Node node, string path)
    {
        var seq = Sequence(node, path);
        if (seq.Items.Count == 0) throw Invalid(node, path, "the table is empty; give points [[ω, J(ω)], …]");
        if (seq.Items.Count == 1) throw Invalid(node, path, "the table has one point; give at least two points [[ω, J(ω)], …] (J is interpolated linearly between them and is 0 beyond the last, which should have J = 0)");
        var points = new List<(double, double)>();
        for (int i = 0; i < seq.Items.Count; i++)
        {
            string pp = $"{path}[{i}]";
            var pair = Sequence(seq.Items[i], pp);
            if (pair.Items.Count != 2) throw Schema(pair, pp, $"a table point is a pair [ω, J(ω)]; got {pair.Describe()}");
            double omega = Number(pair.Items[0], $"{pp}[0]");
            double j = Number(pair.Items[1], $"{pp}[1]");
            if (omega <= 0) throw Invalid(pair.Items[0], $"{pp}[0]", $"table frequencies must be > 0, got ω = {Shown(pair.Items[0], omega)}");
            InRange(pair.Items[0], $"{pp}[0]", omega, "ω");
            if (i > 0 && omega <= points[^1].Item1)
                throw Invalid(pair.Items[0], $"{pp}[0]", $"table frequencies must be strictly increasing, but ω = {Fmt(omega)} follows ω = {Fmt(points[^1].Item1)}");
            if (j < 0) throw Invalid(pair.Items[1], $"{pp}[1]", $"negative spectral density J({Fmt(omega)}) = {Shown(pair.Items[1], j)}; J(ω) must be ≥ 0");
            if (j > ModelLimits.MaxMagnitude)
                throw Invalid(pair.Items[1], $"{pp}[1]", $"J = {Shown(pair.Items[1], j)} is outside the valid range 0 ≤ J ≤ {Lim(ModelLimits.MaxMagnitude)}");
            points.Add((omega, j));
        }
        return points;
    }

    private ModelOptions Options(Node node, string path)
    {
        var f = new Fields(this, Mapping(node, path), path, OptionKeys);
        var options = new ModelOptions();
        if (f.Optional("secular") is { } s)
        {
            string mode = String(s, f.PathOf("secular"));
            options = mode switch
            {
                "partial" => options with { Secular = SecularMode.Partial },
                "none" => options with { Secular = SecularMode.None },
                _ => throw Schema(s, f.PathOf("secular"), $"unknown secular mode '{mode}'; use one of {string.Join(", ", SecularModes)}"),
            };
        }
        if (f.Optional("lamb_shift") is { } l) options = options with { LambShift = Bool(l, f.PathOf("lamb_shift")) };
        if (f.Optional("approach") is { } ap)
        {
            string approach = String(ap, f.PathOf("approach"));
            options = approach switch
            {
                "global" => options with { Approach = MasterEquationApproach.Global },
                "local" => options with { Approach = MasterEquationApproach.Local },
                _ => throw Schema(ap, f.PathOf("approach"), $"unknown approach '{approach}'; use one of {string.Join(", ", Approaches)}"),
            };
            if (options.Approach == MasterEquationApproach.Local && _hamiltonianIsMatrix)
                throw Invalid(ap, f.PathOf("approach"), "approach: local needs the hamiltonian as a list of terms (e.g. [[0.5, \"Z0\"], [0.1, \"X0 X1\"]]): a {matrix: …} hamiltonian cannot be split into the local Hamiltonians of the couplings");
            if (options.Approach == MasterEquationApproach.Local && options.Secular == SecularMode.None)
                throw Invalid(ap, f.PathOf("approach"), "approach: local builds the local (secular, GKLS) master equation and cannot be combined with secular: none");
        }
        if (f.Optional("tolerance") is { } t)
        {
            double tol = Positive(t, f.PathOf("tolerance"), check: false);
            if (tol > ModelLimits.MaxMagnitude)
                throw Invalid(t, f.PathOf("tolerance"), $"tolerance {Shown(t, tol)} is outside the valid range 0 < tolerance ≤ {Lim(ModelLimits.MaxMagnitude)}");
            options = options with { Tolerance = tol };
        }
        return options;
    }

    // ---------------------------------------------------------------- operators

    private static bool IsMatrixOperator(Node node) => node is MappingNode m && m.Entries.Any(e => e.Key == "matrix");

    /// <summary>An operator: a string, a list of [coefficient, "string"] terms, or {matrix: [[…]]}. Also returns a label.</summary>
    /// <remarks>
    /// With <paramref name="terms"/>, each term (coefficient × operator string) is added to it as well. With
    /// <paramref name="sparse"/>, a single operator string is built in sparse storage on every space (its d non-zero
    /// entries instead of a d × d array: the bath couplings, which are read entry by entry).
    /// </remarks>
    private (Matrix<Complex> Matrix, string Label) Operator(Node node, string path, HilbertSpace? space, List<Matrix<Complex>>? terms = null,
        bool sparse = false)
    {
        switch (node)
        {
            case ScalarNode { Kind: ScalarKind.String } s:
            {
                var single = Bounded(sparse && space is not null ? SparseOperatorString(s, path, space) : OperatorString(s, path, space), node, path);
                terms?.Add(single);
                return (single, s.Text.Trim());
            }
            case SequenceNode seq:
            {
                if (seq.Items.Count == 0) throw Invalid(node, path, "the list of terms is empty; an operator needs at least one [coefficient, \"operator\"] term");
                if (space is not null && space.Dimension <= SiteOperators.SparseThreshold) return TermSum(seq, path, space, terms);
                Matrix<Complex>? sum = null;
                var label = new List<string>();
                for (int i = 0; i < seq.Items.Count; i++)
                {
                    string tp = $"{path}[{i}]";
                    var (c, opNode) = Term(seq.Items[i], tp);
                    var m = OperatorString(opNode, $"{tp}[1]", space);
                    bool dense = m.Storage.IsDense;
                    if (c != Complex.One)
                    {
                        if (dense) m.Multiply(c, m); // m is this term's own fresh matrix: scaled in place
                        else m = m.Multiply(c);
                    }
                    terms?.Add(m);
                    if (sum is null) sum = dense ? m.Clone() : m; // the terms are kept (local approach): never accumulate into one
                    else if (dense && sum.Storage.IsDense) sum.Add(m, sum);
                    else sum = sum + m;
                    label.Add($"{FmtComplex(c)}·{opNode.Text.Trim()}");
                }
                return (Bounded(sum!, node, path), string.Join(" + ", label));
            }
            case MappingNode map:
            {
                var f = new Fields(this, map, path, ["matrix"]);
                var m = Bounded(Matrix(f.Required("matrix"), f.PathOf("matrix")), node, path);
                if (space is not null && m.RowCount != space.Dimension)
                    throw Invalid(node, path, $"is a {m.RowCount}×{m.ColumnCount} matrix, but the Hilbert space (sites {space}) has dimension {space.Dimension}");
                return (m, $"matrix ({m.RowCount}×{m.ColumnCount})");
            }
            default:
                throw Schema(node, path, $"expected an operator: a string such as \"Z0 Z1\", a list of [coefficient, \"operator\"] terms, or {{matrix: [[…]]}}; got {node.Describe()}");
        }
    }

    /// <summary>
    /// A list of terms on a space small enough for dense operators: Σ_t c_t P_t written entry by entry into one dense
    /// array (the same sums in the same order as adding dense terms, up to the sign of zeros), without a d × d matrix
    /// per term; each term is added to <paramref name="terms"/> in sparse storage (they serve the local approach).
    /// </summary>
    private (Matrix<Complex> Matrix, string Label) TermSum(SequenceNode seq, string path, HilbertSpace space, List<Matrix<Complex>>? terms)
    {
        int d = space.Dimension;
        var sum = new Complex[(long)d * d];
        var label = new List<string>();
        for (int i = 0; i < seq.Items.Count; i++)
        {
            string tp = $"{path}[{i}]";
            var (c, opNode) = Term(seq.Items[i], tp);
            List<(int Row, int Column, Complex Value)> entries;
            try
            {
                entries = OperatorParser.Entries(opNode.Text, space);
            }
            catch (ModelException ex)
            {
                throw Invalid(opNode, $"{tp}[1]", ex.Message);
            }
            if (c != Complex.One)
                for (int k = 0; k < entries.Count; k++) entries[k] = (entries[k].Row, entries[k].Column, entries[k].Value * c);
            foreach (var (r, col, v) in entries) sum[r + (long)col * d] += v;
            terms?.Add(SparseEntries.Matrix(d, entries));
            label.Add($"{FmtComplex(c)}·{opNode.Text.Trim()}");
        }
        return (Bounded(Matrix<Complex>.Build.Dense(d, d, sum), seq, path), string.Join(" + ", label));
    }

    /// <summary>One [coefficient, "operator"] term: the coefficient and the operator string's node.</summary>
    private (Complex Coefficient, ScalarNode Operator) Term(Node item, string tp)
    {
        if (item is not SequenceNode { Items.Count: 2 } term)
            throw Schema(item, tp, $"each term must be a pair [coefficient, \"operator\"], e.g. [0.5, \"Z0\"] (write a single term as [[0.5, \"Z0\"]]); got {item.Describe()}");
        var c = ComplexNumber(term.Items[0], $"{tp}[0]");
        if (term.Items[1] is not ScalarNode { Kind: ScalarKind.String } opNode)
            throw Schema(term.Items[1], $"{tp}[1]", $"expected an operator string such as \"Z0 Z1\"; got {term.Items[1].Describe()}");
        return (c, opNode);
    }

    private Matrix<Complex> SparseOperatorString(ScalarNode node, string path, HilbertSpace space)
    {
        try
        {
            return SparseEntries.Matrix(space.Dimension, OperatorParser.Entries(node.Text, space));
        }
        catch (ModelException ex)
        {
            throw Invalid(node, path, ex.Message);
        }
    }

    private Matrix<Complex> OperatorString(ScalarNode node, string path, HilbertSpace? space)
    {
        if (space is null)
            throw Schema(node, path, $"the operator string \"{node.Text}\" needs the top-level 'sites' list (local dimensions, e.g. [2, 2])");
        try
        {
            // A template (a sweep) builds the same operator strings at every point: parse each once, hand out copies.
            return _operatorCache is { } cache ? cache.Get(node.Text, space) : OperatorParser.Parse(node.Text, space);
        }
        catch (ModelException ex)
        {
            throw Invalid(node, path, ex.Message);
        }
    }

    private Matrix<Complex> Matrix(Node node, string path)
    {
        var rows = Sequence(node, path);
        int n = rows.Items.Count;
        if (n == 0) throw Schema(node, path, "the matrix is empty");
        var m = Matrix<Complex>.Build.Dense(n, n);
        int? width = null;
        for (int i = 0; i < n; i++)
        {
            string rp = $"{path}[{i}]";
            var row = Sequence(rows.Items[i], rp);
            if (width is null) width = row.Items.Count;
            else if (row.Items.Count != width)
                throw Schema(row, rp, $"ragged matrix: row {i} has {Entries(row.Items.Count)}, but row 0 has {Entries(width.Value)}");
            if (row.Items.Count != n)
                throw Schema(row, rp, $"the matrix must be square: it has {n} row{(n == 1 ? "" : "s")}, but row {i} has {Entries(row.Items.Count)}");
            for (int j = 0; j < n; j++) m[i, j] = ComplexNumber(row.Items[j], $"{rp}[{j}]");
        }
        return m;
    }

    /// <summary>The keys of one mapping, checked against the allowed set (unknown keys are errors).</summary>
    private sealed class Fields
    {
        private readonly ModelFileReader _reader;
        private readonly Dictionary<string, Node> _values = [];

        public Fields(ModelFileReader reader, MappingNode node, string path, string[] allowed)
        {
            _reader = reader;
            Node = node;
            Path = path;
            foreach (var (key, value) in node.Entries)
            {
                if (!allowed.Contains(key))
                    throw reader.Schema(value, PathOf(key), $"unknown key '{key}'{Suggest(key, allowed)}; allowed keys here: {string.Join(", ", allowed)}");
                _values[key] = value;
            }
        }

        public MappingNode Node { get; }
        public string Path { get; }

        public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

        public Node? Optional(string key) => _values.GetValueOrDefault(key);

        public Node Required(string key) =>
            Optional(key) ?? throw _reader.Schema(Node, PathOf(key), "missing required key '" + key + "'");
    }
}

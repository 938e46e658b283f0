using System.Globalization;

namespace Davies.Models;

/// <summary>
/// Parameters and expressions of the model-file reader: the top-level <c>parameters</c> mapping (name → number or
/// expression over other parameters), overrides given by the caller (<c>--set</c>), and the evaluation of an
/// expression string in any numeric field (docs/model-file.md, "Parameters and expressions").
/// </summary>
internal sealed partial class ModelFileReader
{
    /// <summary>The evaluated parameters (declared values, or the overrides), by name.</summary>
    private Dictionary<string, double> _parameters = [];

    /// <summary>The declared parameter names in file order.</summary>
    private List<string> _parameterNames = [];

    /// <summary>The declared parameters with their values (overrides applied), in file order.</summary>
    internal IReadOnlyList<ModelParameter> Parameters(MappingNode root)
    {
        ReadParameters(root);
        var defs = ParameterNodes(root);
        return _parameterNames.Select(n => new ModelParameter(n, _parameters[n], Definition(defs[n]))).ToArray();
    }

    private static string Definition(Node node) => node is ScalarNode s ? s.Text.Trim() : node.Describe();

    private Dictionary<string, Node> ParameterNodes(MappingNode root)
    {
        var entry = root.Entries.FirstOrDefault(e => e.Key == "parameters");
        if (entry.Value is null or ScalarNode { Kind: ScalarKind.Null }) return [];
        var map = Mapping(entry.Value, "parameters");
        return map.Entries.ToDictionary(e => e.Key, e => e.Value);
    }

    /// <summary>Reads and evaluates the <c>parameters</c> mapping (dependencies in any order, cycles are errors) with the overrides.</summary>
    private void ReadParameters(MappingNode root)
    {
        var defs = ParameterNodes(root);
        _parameterNames = [.. defs.Keys];
        foreach (var (name, node) in defs)
        {
            if (!Expression.IsName(name))
                throw Schema(node, $"parameters.{name}", $"'{name}' is not a valid parameter name: use a letter or _ followed by letters, digits or _ (e.g. T_hot, g2)");
            if (Expression.IsReserved(name))
                throw Schema(node, $"parameters.{name}", $"'{name}' is a reserved name (the constant pi, the imaginary unit i, or a function); choose another parameter name");
        }
        foreach (var name in _overrides.Keys)
        {
            if (defs.ContainsKey(name)) continue;
            string declared = defs.Count == 0
                ? "the file declares no parameters (add a top-level mapping such as parameters: {" + name + ": 1})"
                : $"the file's parameters are {string.Join(", ", defs.Keys)}{Hint(name, defs.Keys)}";
            throw new ModelFileException($"{_source}: unknown parameter '{name}': {declared}");
        }
        foreach (var (name, value) in _overrides)
            if (!double.IsFinite(value))
                throw new ModelFileException($"{_source}: parameter '{name}': the value {value.ToString(CultureInfo.InvariantCulture)} is not a finite number");

        var values = new Dictionary<string, double>();
        var visiting = new List<string>();
        double Value(string name)
        {
            if (values.TryGetValue(name, out double v)) return v;
            if (_overrides.TryGetValue(name, out v)) return values[name] = v;
            var node = defs[name];
            string path = $"parameters.{name}";
            if (visiting.Contains(name))
            {
                var cycle = visiting.SkipWhile(n => n != name).Append(name);
                throw Schema(node, path, $"the parameters {string.Join(" → ", cycle)} are defined in terms of each other (a cycle)");
            }
            visiting.Add(name);
            v = node switch
            {
                ScalarNode { Kind: ScalarKind.Number } => Number(node, path),
                ScalarNode { Kind: ScalarKind.String } s when !IsNonFiniteString(node) => EvaluateReal(s, path, n => defs.ContainsKey(n) ? Value(n) : null),
                _ => Number(node, path),
            };
            visiting.RemoveAt(visiting.Count - 1);
            return values[name] = v;
        }
        foreach (var name in defs.Keys) Value(name);
        _parameters = values;
    }

    private static string Hint(string name, IEnumerable<string> names) =>
        Expression.Suggest(name, names) is { } s ? $" (did you mean '{s}'?)" : "";

    // ---------------------------------------------------------------- expressions in numeric fields

    private double? Lookup(string name) => _parameters.TryGetValue(name, out double v) ? v : null;

    /// <summary>The value of the expression in a real numeric field.</summary>
    private double EvaluateReal(ScalarNode node, string path, Func<string, double?>? lookup = null)
    {
        var expr = ParseExpression(node, path);
        try
        {
            return expr.EvaluateReal(lookup ?? Lookup);
        }
        catch (ExpressionException e)
        {
            throw ExpressionError(node, path, expr, e, lookup is null);
        }
    }

    /// <summary>The value of the expression in a complex field (a term coefficient or a matrix entry; <c>i</c> allowed).</summary>
    private Complex EvaluateComplex(ScalarNode node, string path)
    {
        var expr = ParseExpression(node, path);
        try
        {
            return expr.EvaluateComplex(Lookup);
        }
        catch (ExpressionException e)
        {
            throw ExpressionError(node, path, expr, e, true);
        }
    }

    private Expression ParseExpression(ScalarNode node, string path)
    {
        try
        {
            return Expression.Parse(node.Text);
        }
        catch (ExpressionException e)
        {
            throw e.Problem == ExpressionProblem.Value
                ? Invalid(node, path, $"in the expression \"{node.Text}\": {e.Message}")
                : Schema(node, path, $"syntax error in the expression \"{node.Text}\": {e.Message}");
        }
    }

    /// <summary>The message of an evaluation error: names, columns and the parameter values the expression used.</summary>
    private Exception ExpressionError(ScalarNode node, string path, Expression expr, ExpressionException e, bool inField)
    {
        string text = node.Text;
        switch (e.Problem)
        {
            case ExpressionProblem.UnknownName:
            {
                string name = e.Name!;
                string declared = _parameterNames.Count == 0
                    ? $"the file declares no parameters (declare it in a top-level mapping, e.g. parameters: {{{name}: 1}})"
                    : $"the file's parameters are {string.Join(", ", _parameterNames)}{Hint(name, _parameterNames)}";
                bool bare = text.Trim() == name;
                string lead = bare ? $"expected a number; got the string \"{text}\", and '{name}' is not a parameter" : $"the expression \"{text}\" refers to the unknown name '{name}' (column {e.Column})";
                return Schema(node, path, $"{lead}: {declared}");
            }
            case ExpressionProblem.Syntax:
                return Schema(node, path, $"in the expression \"{text}\": {e.Message}");
            default:
            {
                var used = expr.Names.Select(n => n.Name).Where(n => n is not ("pi" or "i")).Distinct()
                    .Select(n => (inField ? Lookup(n) : _parameters.GetValueOrDefault(n)) is { } v ? $"{n} = {Fmt(v)}" : null)
                    .OfType<string>().ToArray();
                string with = used.Length == 0 ? "" : $" (with {string.Join(", ", used)})";
                return Invalid(node, path, $"the expression \"{text}\" has no finite value: {e.Message}{with}");
            }
        }
    }
}

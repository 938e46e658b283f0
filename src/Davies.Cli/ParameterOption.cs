using System.CommandLine;
using Davies.Studies;

namespace Davies.Cli;

/// <summary>The --set name=value option of steady, evolve, spectrum, bath and eth: a model parameter for one run.</summary>
internal static class ParameterOption
{
    public static Option<string[]> Create() => new("--set")
    {
        Description = "Set a parameter declared in the model file's 'parameters' for this run: name=value (a number or a constant " +
                      "expression such as 2*pi or 1/3). Repeatable. An undeclared name is an error. See docs/model-file.md; to run " +
                      "many values, davies sweep.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "NAME=VALUE",
    };

    /// <summary>The parameter values (null when none is set); a malformed or repeated assignment is bad input.</summary>
    public static IReadOnlyDictionary<string, double>? Values(string[]? assignments)
    {
        if (assignments is not { Length: > 0 }) return null;
        var values = new Dictionary<string, double>();
        foreach (var text in assignments)
        {
            SweepAxis axis;
            try
            {
                axis = SweepAxis.Parse(text);
            }
            catch (SweepException e)
            {
                throw new SweepException($"--set {e.Message}");
            }
            if (axis.Values.Count != 1)
                throw new SweepException($"--set '{text}': one value per parameter here; to run {axis.Values.Count} values, use davies sweep");
            if (!values.TryAdd(axis.Name, axis.Values[0]))
                throw new SweepException($"--set '{text}': the parameter '{axis.Name}' is set twice");
        }
        return values;
    }
}

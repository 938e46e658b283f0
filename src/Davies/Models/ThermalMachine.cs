namespace Davies.Models;

/// <summary>The kind of a thermal machine (model-file field <c>machine.type</c>).</summary>
public enum MachineType
{
    /// <summary>
    /// <c>refrigerator</c>: an absorption refrigerator (Linden, Popescu &amp; Skrzypczyk, PRL 105, 130401 (2010)): heat from
    /// the <c>hot</c> bath drives heat out of the <c>cold</c> bath into the <c>room</c> bath.
    /// </summary>
    Refrigerator,

    /// <summary>
    /// <c>heat_pump</c>: an absorption heat pump (heat transformer): heat from the <c>hot</c> bath pumps heat from the
    /// <c>cold</c> bath into the <c>room</c> bath, which is the useful output.
    /// </summary>
    HeatPump,

    /// <summary>
    /// <c>engine</c>: a heat engine between <c>hot</c> and <c>cold</c> whose output is the energy delivered to the
    /// <c>work</c> bath (a reservoir at a very high temperature, which takes energy without entropy).
    /// </summary>
    Engine,
}

/// <summary>
/// A thermal machine declared by a model (model-file field <c>machine</c>): its type and the roles of its baths, by
/// bath name. <c>davies steady</c> then reports its figures of merit (<see cref="Thermodynamics.Machines"/>).
/// </summary>
/// <param name="Type">The kind of machine.</param>
/// <param name="Cold">The cold bath.</param>
/// <param name="Hot">The hot bath (the driving bath of the absorption machines).</param>
/// <param name="Room">The intermediate bath of a refrigerator or heat pump (null for an engine).</param>
/// <param name="Work">The work bath of an engine (null otherwise).</param>
public sealed record ThermalMachine(MachineType Type, string Cold, string Hot, string? Room = null, string? Work = null)
{
    /// <summary>The role names this type needs, each with the bath it names: cold, hot, and room or work.</summary>
    public IReadOnlyList<(string Role, string? Bath)> Roles => Type == MachineType.Engine
        ? [("cold", Cold), ("hot", Hot), ("work", Work)]
        : [("cold", Cold), ("room", Room), ("hot", Hot)];

    /// <summary>
    /// Checks the declaration against the model's baths: every role names an existing bath, the roles name distinct
    /// baths, and the model has exactly these three baths. Returns the problem (null when valid), naming the role.
    /// </summary>
    public (string Role, string Problem)? Problem(IReadOnlyList<Bath> baths)
    {
        string type = Type switch { MachineType.Refrigerator => "refrigerator", MachineType.HeatPump => "heat_pump", _ => "engine" };
        var names = baths.Select(b => b.Name).ToArray();
        foreach (var (role, bath) in Roles)
        {
            if (bath is null) return (role, $"a machine of type {type} needs the bath of role '{role}'");
            if (!names.Contains(bath))
                return (role, $"no bath named '{bath}' (the model's baths are {string.Join(", ", names.Select(n => $"'{n}'"))})");
        }
        var used = Roles.Select(r => r.Bath!).ToArray();
        if (used.Distinct().Count() != used.Length)
            return (Roles[0].Role, $"the roles {string.Join(", ", Roles.Select(r => r.Role))} must name three different baths, got {string.Join(", ", used.Select(u => $"'{u}'"))}");
        if (baths.Count != 3)
            return (Roles[0].Role, $"a machine of type {type} has exactly three baths ({string.Join(", ", Roles.Select(r => r.Role))}); the model has {baths.Count}");
        return null;
    }
}

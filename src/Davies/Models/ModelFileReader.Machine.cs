namespace Davies.Models;

internal sealed partial class ModelFileReader
{
    private static readonly string[] MachineKeys = ["type", "cold", "hot", "room", "work"];
    private static readonly string[] MachineTypes = ["refrigerator", "heat_pump", "engine"];

    // machine: {type: refrigerator | heat_pump | engine, cold: BATH, hot: BATH, room: BATH | work: BATH}
    private ThermalMachine Machine(Node node, string path, IReadOnlyList<Bath> baths)
    {
        var f = new Fields(this, Mapping(node, path), path, MachineKeys);
        var typeNode = f.Required("type");
        string typeText = String(typeNode, f.PathOf("type"));
        var type = typeText switch
        {
            "refrigerator" => MachineType.Refrigerator,
            "heat_pump" => MachineType.HeatPump,
            "engine" => MachineType.Engine,
            _ => throw Schema(typeNode, f.PathOf("type"), $"unknown machine type '{typeText}'; use one of {string.Join(", ", MachineTypes)}"),
        };
        string? Name(string key) => f.Optional(key) is { } n ? String(n, f.PathOf(key)) : null;
        string misplaced = type == MachineType.Engine ? "room" : "work";
        if (f.Optional(misplaced) is { } extra)
            throw Schema(extra, f.PathOf(misplaced), $"a machine of type {typeText} has no '{misplaced}' bath (its roles are {(type == MachineType.Engine ? "cold, hot, work" : "cold, room, hot")})");
        var machine = new ThermalMachine(type, Name("cold") ?? "", Name("hot") ?? "", Name("room"), Name("work"));
        foreach (var (role, bath) in machine.Roles)
            if (bath is null || bath.Length == 0)
                throw Schema(f.Node, f.PathOf(role), $"missing: a machine of type {typeText} needs '{role}' (a bath name)");
        if (machine.Problem(baths) is { } p)
            throw Invalid(f.Optional(p.Role) ?? f.Node, f.PathOf(p.Role), p.Problem);
        return machine;
    }
}

using Davies.Models;
using Davies.Solvers;

namespace Davies.Thermodynamics;

/// <summary>
/// The figures of merit of a thermal machine in its steady state (<see cref="Machines.Evaluate"/>); heat currents are
/// counted into the system, so the useful outputs below are positive when the machine works.
/// </summary>
/// <param name="Type">The machine's type.</param>
/// <param name="CoolingPower">Refrigerator: J_cold, the heat drawn from the cold bath.</param>
/// <param name="HeatingPower">Heat pump: −J_room, the heat delivered to the room bath.</param>
/// <param name="Power">Engine: −J_work, the energy delivered to the work bath.</param>
/// <param name="Cop">Refrigerator: J_cold / J_hot; heat pump: −J_room / J_hot (coefficients of performance).</param>
/// <param name="Efficiency">Engine: −J_work / J_hot.</param>
/// <param name="Carnot">
/// The Carnot bound of that figure: refrigerator (1 − T_room/T_hot)/(T_room/T_cold − 1); heat pump
/// (1 − T_cold/T_hot)/(1 − T_cold/T_room); engine 1 − T_cold/T_hot.
/// </param>
/// <param name="Working">Whether the useful output is positive (the machine cools, heats, or delivers work).</param>
public sealed record MachineFigures(MachineType Type, double? CoolingPower, double? HeatingPower, double? Power, double? Cop,
    double? Efficiency, double Carnot, bool Working);

/// <summary>Figures of merit of the thermal machine a model declares (<see cref="OpenSystemModel.Machine"/>).</summary>
public static class Machines
{
    /// <summary>The figures of <paramref name="steady"/>'s machine; null when its model declares none.</summary>
    /// <exception cref="ModelException">The declaration does not fit the model's baths.</exception>
    public static MachineFigures? Evaluate(SteadyStateResult steady)
    {
        ArgumentNullException.ThrowIfNull(steady);
        var model = steady.Model;
        if (model.Machine is not { } m) return null;
        if (m.Problem(model.Baths) is { } p) throw new ModelException($"machine.{p.Role}: {p.Problem}");
        double T(string bath) => model.Baths.First(b => b.Name == bath).Temperature;
        double J(string bath) => steady.HeatCurrents[bath];
        switch (m.Type)
        {
            case MachineType.Refrigerator:
            {
                double tc = T(m.Cold), tr = T(m.Room!), th = T(m.Hot);
                double cooling = J(m.Cold), drive = J(m.Hot);
                return new MachineFigures(m.Type, cooling, null, null, Ratio(cooling, drive), null,
                    (1 - tr / th) / (tr / tc - 1), cooling > 0);
            }
            case MachineType.HeatPump:
            {
                double tc = T(m.Cold), tr = T(m.Room!), th = T(m.Hot);
                double heating = -J(m.Room!), drive = J(m.Hot);
                return new MachineFigures(m.Type, null, heating, null, Ratio(heating, drive), null,
                    (1 - tc / th) / (1 - tc / tr), heating > 0);
            }
            default:
            {
                double tc = T(m.Cold), th = T(m.Hot);
                double power = -J(m.Work!), drive = J(m.Hot);
                return new MachineFigures(m.Type, null, null, power, null, Ratio(power, drive), 1 - tc / th, power > 0);
            }
        }
    }

    // output / input when the input is positive (a machine that draws no drive has no finite ratio)
    private static double? Ratio(double output, double input) => input > 0 ? output / input : null;
}

using Davies.Models;
using Davies.Solvers;
using Davies.Thermodynamics;

namespace Davies.Tests.Thermodynamics;

/// <summary>The absorption refrigerator of Linden, Popescu &amp; Skrzypczyk: cooling window, COP below Carnot, reversible limit.</summary>
public class MachinesTests
{
    private static readonly string Example = Path.Combine(Models.ModelFileTests.ExamplesDirectory(), "absorption_refrigerator.yaml");

    // The example with the cold qubit's energy E1 (E2 = E1 + E3 kept resonant, E3 = 3).
    // The example with the cold qubit's energy E1 (E2 = E1 + E3 kept resonant, E3 = 3), the interaction g and the baths' η.
    private static OpenSystemModel Refrigerator(double e1, double g = 0.05, double eta = 0.001)
    {
        var text = File.ReadAllText(Example)
            .Replace("[0.5, \"Z0\"]", $"[{e1 / 2}, \"Z0\"]")
            .Replace("[2.0, \"Z1\"]", $"[{(e1 + 3) / 2}, \"Z1\"]")
            .Replace("0.0125", $"{g / 4}")
            .Replace("eta: 0.001", $"eta: {eta}");
        return ModelFile.Parse(text, ModelFileFormat.Yaml, "refrigerator.yaml");
    }

    [Fact]
    public void Interaction_IsTheSwapOfTheResonantStates()
    {
        var model = ModelFile.Load(Example);
        var h = model.Hamiltonian;
        // |101⟩ = index 5, |010⟩ = index 2: ⟨101|H|010⟩ = g = 0.05, and no other off-diagonal entry
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                if (i != j) Assert.Equal((i, j) is (5, 2) or (2, 5) ? 0.05 : 0, h[i, j].Magnitude, 14);
        Assert.Equal(h[5, 5].Real, h[2, 2].Real, 14); // E1 + E3 = E2
    }

    [Fact]
    public void Example_Cools_WithACopBelowCarnot()
    {
        var f = Machines.Evaluate(SteadyState.Solve(ModelFile.Load(Example)))!;
        Assert.Equal(MachineType.Refrigerator, f.Type);
        Assert.True(f.Working);
        Assert.True(f.CoolingPower > 0);
        Assert.Equal(0.75, f.Carnot, 12);
        Assert.True(f.Cop < f.Carnot, $"COP {f.Cop} ≥ Carnot {f.Carnot}");
    }

    // The ideal machine (weak interaction g = 0.001 and baths η = 1e-5, so that the leaks through the hybridised levels
    // are small): as E1 → 2.25 the virtual qubit's temperature reaches T_cold, the cooling power vanishes and the COP
    // E1/E3 reaches the Carnot COP 0.75. (With the example's g = 0.05 the leaks make the COP turn down before that.)
    [Fact]
    public void ApproachingTheReversiblePoint_CoolingVanishes_AndCopTendsToCarnot()
    {
        double[] e1 = [1.5, 2, 2.2, 2.24, 2.249];
        var figures = e1.Select(e => Machines.Evaluate(SteadyState.Solve(Refrigerator(e, 0.001, 1e-5)))!).ToArray();
        for (int k = 0; k < e1.Length; k++)
        {
            var f = figures[k];
            Assert.True(f.CoolingPower > 0, $"E1 = {e1[k]}: J_cold = {f.CoolingPower}");
            Assert.True(f.Cop < f.Carnot, $"E1 = {e1[k]}: COP {f.Cop} ≥ Carnot {f.Carnot}");
            if (k > 0) Assert.True(f.Carnot - f.Cop < figures[k - 1].Carnot - figures[k - 1].Cop, string.Join("; ", figures.Select((x, i) => $"E1 = {e1[i]}: J = {x.CoolingPower:G4}, COP = {x.Cop:G6}")));
        }
        Assert.True(figures[^1].CoolingPower < 0.01 * figures[0].CoolingPower, "the cooling power does not vanish at the reversible point");
        Assert.True(figures[^1].Carnot - figures[^1].Cop < 0.005 * figures[^1].Carnot, $"COP {figures[^1].Cop} vs Carnot {figures[^1].Carnot}");
        // beyond the window it no longer cools
        Assert.False(Machines.Evaluate(SteadyState.Solve(Refrigerator(2.5, 0.001, 1e-5)))!.Working);
    }

    [Theory]
    [InlineData("machine: {type: refrigerator, cold: cold, room: room, hot: oven}", "machine.hot", "no bath named 'oven'")]
    [InlineData("machine: {type: refrigerator, cold: cold, room: cold, hot: hot}", "machine.cold", "three different baths")]
    [InlineData("machine: {type: fridge, cold: cold, room: room, hot: hot}", "machine.type", "unknown machine type 'fridge'")]
    [InlineData("machine: {type: engine, cold: cold, hot: hot, room: room}", "machine.room", "has no 'room' bath")]
    [InlineData("machine: {type: refrigerator, cold: cold, hot: hot}", "machine.room", "needs 'room'")]
    public void BadMachineDeclarations_AreOneClearMessage(string machine, string where, string problem)
    {
        var text = File.ReadAllText(Example).Replace("machine: {type: refrigerator, cold: cold, room: room, hot: hot}", machine);
        var e = Assert.ThrowsAny<ModelException>(() => ModelFile.Parse(text, ModelFileFormat.Yaml, "fridge.yaml"));
        Assert.Contains(where, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AMachineWithTheWrongNumberOfBaths_IsAnError()
    {
        var text = File.ReadAllText(Example);
        int cut = text.IndexOf("  - name: hot", StringComparison.Ordinal);
        int end = text.IndexOf("machine:", StringComparison.Ordinal);
        text = text[..cut] + text[end..];
        var e = Assert.ThrowsAny<ModelException>(() => ModelFile.Parse(text, ModelFileFormat.Yaml, "fridge.yaml"));
        Assert.Contains("machine.hot", e.Message);
    }
}

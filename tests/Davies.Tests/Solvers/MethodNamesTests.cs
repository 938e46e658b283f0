using Davies.Solvers;

namespace Davies.Tests.Solvers;

/// <summary>The names the CLI prints for each solver method: part of its output contract.</summary>
public class MethodNamesTests
{
    [Fact]
    public void EveryMethod_HasItsStableWireName()
    {
        Assert.Equal(["pauli", "sector0", "sector0-blocks", "redfield-dense", "local-dense"],
            Enum.GetValues<SteadyStateMethod>().Select(m => m.ToWireName()));
        Assert.Equal(["kms-symmetric", "general", "blocks", "redfield-dense", "local-dense", "kms-lanczos"],
            Enum.GetValues<SpectrumMethod>().Select(m => m.ToWireName()));
        Assert.Equal(["sectors", "blocks", "redfield-dense", "local-dense"],
            Enum.GetValues<PropagationMethod>().Select(m => m.ToWireName()));
    }
}

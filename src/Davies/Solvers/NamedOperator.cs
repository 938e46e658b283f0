using Davies.Models;

namespace Davies.Solvers;

/// <summary>An operator with a name (an observable to follow in time).</summary>
/// <param name="Name">Name used as key of the results.</param>
/// <param name="Operator">
/// The operator in the model's site basis (<see cref="EvolutionResult.Expectations"/> holds Re Tr[ρ O],
/// <see cref="EvolutionResult.ComplexExpectations"/> Tr[ρ O]; it need not be Hermitian).
/// </param>
public sealed record NamedOperator(string Name, Matrix<Complex> Operator)
{
    /// <summary>
    /// Whether <see cref="Operator"/> is Hermitian to a tolerance relative to its largest entry (1e-10, the model
    /// file's test): then Tr[ρ O] is real, otherwise its imaginary part carries information.
    /// </summary>
    public bool IsHermitian => OpenSystemModel.IsHermitian(Operator);
}

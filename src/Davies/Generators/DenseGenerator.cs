using Davies.Models;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The models whose generator has no Bohr-sector structure and is solved as one dense d²×d² matrix in the eigenbasis
/// of H_S: Bloch–Redfield (<c>secular: none</c>) and the local master equation (<c>approach: local</c>).
/// </summary>
internal static class DenseGenerator
{
    /// <summary>Whether the model is solved through a dense generator instead of the Davies sectors.</summary>
    public static bool Applies(OpenSystemModel model) =>
        model.Options.Secular == SecularMode.None || model.Options.Approach == MasterEquationApproach.Local;

    /// <summary>Whether it is the local master equation (else Bloch–Redfield).</summary>
    public static bool IsLocal(OpenSystemModel model) => model.Options.Approach == MasterEquationApproach.Local;

    /// <summary>The dense generator in the eigenbasis, or with <paramref name="onlyBath"/> that bath's dissipator alone.</summary>
    public static Matrix<Complex> Of(EnergyBasisModel model, int? onlyBath = null) =>
        IsLocal(model.OpenSystem) ? LocalGenerator.Dense(model, onlyBath) : DenseLiouvillian.RedfieldEigenbasis(model, onlyBath);

    /// <summary>A name for progress messages.</summary>
    public static string Name(OpenSystemModel model) => IsLocal(model) ? "local" : "Bloch–Redfield";
}

using System.Globalization;
using System.Text.Json;
using Davies.Diagnostics;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>The conserved quantities and invariant subspaces of `davies steady` (JSON keys and the readable section).</summary>
internal static class ConservedOutput
{
    /// <summary>The JSON keys of <c>davies steady</c>, documented in its help text.</summary>
    public const string JsonHelp =
        "conserved [{operator: [{coefficient, term}] (the largest terms: Pauli strings such as \"Z0 Z1\" on qubit sites, else " +
        "product-basis elements such as \"|01⟩⟨01|\" or \"(|01⟩⟨10| + h.c.)\"; \"I\" the identity), expression (short text), " +
        "omitted_terms, basis (pauli | product | none), description, expectation (Tr[ρ X])}] (the conserved quantities L†(X) = 0, " +
        "identity first, at most 32), conserved_count (all of them: the kernel dimension), conserved_canonical (the list is the " +
        "canonical echelon basis), invariant_subspaces [{dimension, kernel_dimension, weight (Tr[Pρ]), gibbs_weight (Tr[Pρ_β]), " +
        "gibbs_trace_distance (of the normalised restrictions), lowest_energy, resolved}] (null for Bloch–Redfield), " +
        "transient_dimension, transient_gibbs_weight, coherent_kernel_excluded (no stationary coherence ν ≠ 0 is possible), " +
        "initial_state (the --initial STATE or null)";

    /// <summary>The top-level keys <see cref="Json"/> writes, in order.</summary>
    public static readonly string[] JsonKeys =
    [
        "conserved", "conserved_count", "conserved_canonical", "invariant_subspaces", "transient_dimension",
        "transient_gibbs_weight", "coherent_kernel_excluded", "initial_state",
    ];

    public static void Json(Utf8JsonWriter w, ConservedQuantitiesResult c, string? initial)
    {
        w.WriteStartArray("conserved");
        foreach (var q in c.Quantities)
        {
            w.WriteStartObject();
            w.WriteStartArray("operator");
            foreach (var t in q.Terms)
            {
                w.WriteStartObject();
                JsonOut.Number(w, "coefficient", t.Coefficient);
                w.WriteString("term", t.Label);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("expression", q.Expression);
            w.WriteNumber("omitted_terms", q.OmittedTerms);
            w.WriteString("basis", q.TermBasis);
            w.WriteString("description", q.Description);
            JsonOut.Number(w, "expectation", q.Expectation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("conserved_count", c.Count);
        w.WriteBoolean("conserved_canonical", c.Canonical);
        if (c.InvariantSubspaces is { } subspaces)
        {
            w.WriteStartArray("invariant_subspaces");
            foreach (var s in subspaces)
            {
                w.WriteStartObject();
                w.WriteNumber("dimension", s.Dimension);
                w.WriteNumber("kernel_dimension", s.KernelDimension);
                JsonOut.Number(w, "weight", s.Weight);
                JsonOut.Number(w, "gibbs_weight", s.GibbsWeight);
                JsonOut.Number(w, "gibbs_trace_distance", s.GibbsTraceDistance);
                JsonOut.Number(w, "lowest_energy", s.LowestEnergy);
                w.WriteBoolean("resolved", s.Resolved);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else w.WriteNull("invariant_subspaces");
        w.WriteNumber("transient_dimension", c.TransientDimension);
        JsonOut.Number(w, "transient_gibbs_weight", c.TransientGibbsWeight);
        w.WriteBoolean("coherent_kernel_excluded", c.CoherentKernel.Excluded);
        if (initial is null) w.WriteNull("initial_state");
        else w.WriteString("initial_state", initial);
    }

    /// <summary>Most invariant subspaces listed in the readable summary.</summary>
    private const int TextSubspaces = 16;

    public static void Text(IAnsiConsole console, ConservedQuantitiesResult c, bool unique)
    {
        var ck = c.CoherentKernel;
        if (!ck.Excluded)
            console.MarkupLine("[yellow]note[/]: a stationary coherence between levels (ν ≠ 0) is not excluded " + (ck.Method == "kms"
                ? $"(two levels of H_S + H_LS are {Fmt(ck.Spacing)} apart)"
                : $"(the dissipator's norm bound {Fmt(ck.Bound)} is not below the smallest level spacing {Fmt(ck.Spacing)})") +
                "; the conserved quantities below are those of the ν = 0 sector");
        if (unique && c.TransientDimension == 0) return;
        if (!unique)
        {
            console.MarkupLine($"conserved quantities L†(X) = 0: {c.Count}" +
                               (c.Truncated ? $" (showing {c.Quantities.Count})" : "") + (c.Canonical ? "" : " (the identity, the subspace projectors, then block by block)"));
            var t = new Table().AddColumns("X", "⟨X⟩");
            foreach (var q in c.Quantities) t.AddRow(Markup.Escape(q.Expression), Fmt(q.Expectation));
            console.Write(t);
        }
        if (!unique && c.InvariantSubspaces is { } subspaces)
        {
            bool gibbs = subspaces.Any(s => s.GibbsWeight is not null);
            var t = new Table().AddColumns("invariant subspace", "dim", "steady states", "weight");
            if (gibbs) t.AddColumns("Gibbs weight", "Gibbs distance in it");
            for (int k = 0; k < Math.Min(subspaces.Count, TextSubspaces); k++)
            {
                var s = subspaces[k];
                var row = new List<string>
                {
                    $"{k + 1}: E ≥ {Fmt(s.LowestEnergy)}{(s.Resolved ? "" : ", unresolved")}", s.Dimension.ToString(CultureInfo.InvariantCulture),
                    s.KernelDimension.ToString(CultureInfo.InvariantCulture), Fmt(s.Weight),
                };
                if (gibbs) row.AddRange([Fmt(s.GibbsWeight), Fmt(s.GibbsTraceDistance)]);
                t.AddRow(row.Select(Markup.Escape).ToArray());
            }
            if (subspaces.Count > TextSubspaces) t.AddRow($"… ({subspaces.Count - TextSubspaces} more; --json lists all)");
            console.Write(t);
        }
        if (c.TransientDimension > 0)
            console.MarkupLine($"{c.TransientDimension} transient eigenstate(s) (a bath at T = 0): no stationary state has weight there" +
                               (c.TransientGibbsWeight is { } g ? $" (Gibbs weight {Fmt(g)})" : ""));
    }

    private static string Fmt(double? x) => x is not { } v ? "—" : double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : v > 0 ? "∞" : "NaN";
}

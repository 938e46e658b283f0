using System.Globalization;
using System.Text;
using Davies.Solvers;
using static Davies.Cli.ReportPage;
using static Davies.Cli.SvgPlot;

namespace Davies.Cli;

/// <summary>The sections of the report page after the model (see <see cref="ReportPage"/>).</summary>
internal static class ReportSections
{
    private static string I(int x) => x.ToString(CultureInfo.InvariantCulture);

    private static string Value(double x) =>
        double.IsNaN(x) ? "—" : double.IsPositiveInfinity(x) ? "∞" : double.IsNegativeInfinity(x) ? "−∞" : x.ToString("G6", CultureInfo.InvariantCulture);

    public static void Baths(StringBuilder s, ReportCommand.ReportData r)
    {
        var m = r.Model.OpenSystem;
        Open(s, "baths");
        s.Append("<table><tr><th>bath</th><th>T</th><th>rates</th><th>couplings</th><th>heat current J into the system (steady state)</th></tr>");
        foreach (var b in m.Baths)
            s.Append($"<tr><td>{Text(b.Name)}</td><td class=\"num\">{Text(Value(b.Temperature))}</td><td>{Text(b.Rates.Description)}</td>" +
                     $"<td><code>{Text(string.Join("; ", b.CouplingLabels))}</code></td><td class=\"num\">{Text(Value(r.Steady.HeatCurrents[b.Name]))}</td></tr>");
        s.Append("</table>");
        s.Append($"<p>Entropy production −Σ β_k J_k = {Text(Value(r.Steady.EntropyProduction))}.</p>");
        s.Append("<div class=\"grid\">");
        double scale = r.Model.Bohr.PositiveCount > 0 ? r.Model.Bohr.Positive[^1] : 1;
        foreach (var (name, frequencies) in r.DrivenFrequencies)
        {
            var bath = m.Baths.First(b => b.Name == name);
            s.Append("<div>").Append(BathPlot(bath, frequencies, scale));
            s.Append($"<p class=\"note\">{I(frequencies.Length)} positive Bohr frequencies driven by the couplings of {Text(name)}" +
                     (frequencies.Length > MaxMarkers ? $" ({I(MaxMarkers)} marked, evenly chosen)" : "") + ".</p></div>");
        }
        s.Append("</div></section>\n");
    }

    public static void Levels(StringBuilder s, ReportCommand.ReportData r)
    {
        Open(s, "levels");
        s.Append(LevelDiagram.Render(r.Groups, r.Rates, r.Binned));
        s.Append("<p class=\"note\">Each arc is a transition between ");
        s.Append(r.Binned
            ? $"energy bins (d = {I(r.Model.Dimension)} &gt; {I(ReportCommand.BinAbove)}: the {I(r.Model.Basis.Levels.Count)} levels in {I(r.Groups.Count)} non-empty bins of equal width; a bar's shade grows with its number of states)"
            : "levels of H_S (×g: degeneracy)");
        s.Append(" driven by the couplings; its width is proportional to the rate W = (1/g_from) Σ_α Σ G_b(ω)|⟨n|A_α|m⟩|² " +
                 "(the population transfer of the Davies generator). Emission (down) on the right, absorption (up) on the left; " +
                 $"rates below {Num(LevelDiagram.DrawnFraction)} × the largest are not drawn, and at most {I(LevelDiagram.MaxArcsPerSide)} arcs per side. " +
                 "Hover an arc for its rate.</p></section>\n");
    }

    public static void Steady(StringBuilder s, ReportCommand.ReportData r)
    {
        var st = r.Steady;
        Open(s, "steady-state");
        s.Append(st.Unique
            ? "<p><span class=\"ok\">unique steady state</span>"
            : $"<p><span class=\"fail\">steady state not unique</span> (kernel dimension {I(st.KernelDimension)}): shown is the limit reached from the maximally mixed state");
        if (st.GibbsTraceDistance is { } g)
            s.Append($"; trace distance to the Gibbs state at T = {Text(Value(r.Model.OpenSystem.Baths[0].Temperature))}: {Text(Num(g))}" +
                     (g < 1e-8 ? " (thermalizes)" : " (does not reach Gibbs)"));
        else s.Append("; the baths have different temperatures: a non-equilibrium steady state");
        s.Append($". Method {Text(st.Method.ToWireName())}, residual ‖L(ρ)‖ = {Text(Num(st.Residual))}.</p>");

        var x = Enumerable.Range(0, r.Groups.Count).Select(k => (double)k).ToArray();
        var plot = new SvgPlot("populations: steady state against Gibbs", r.Binned ? "energy bin (ascending)" : "level (ascending energy)", "population")
            { Id = "populations", IntegerX = true };
        plot.AddBars(x, r.SteadyPopulations, 0.7, 0, "steady state", Palette[0]);
        for (int k = 0; k < r.Gibbs.Count; k++)
            plot.AddPoints(x, r.Gibbs[k].Populations, $"Gibbs at T = {Num(r.Gibbs[k].Temperature)}", Palette[1 + k], 4, hollow: true);
        s.Append(plot.Render());
        if (r.Groups.Count <= 16)
        {
            s.Append("<table><tr><th>").Append(r.Binned ? "bin" : "level").Append("</th><th>energy</th><th>states</th><th>steady state</th>");
            foreach (var gb in r.Gibbs) s.Append($"<th>Gibbs at T = {Text(Num(gb.Temperature))}</th>");
            s.Append("</tr>");
            for (int k = 0; k < r.Groups.Count; k++)
            {
                s.Append($"<tr><td class=\"num\">{I(k)}</td><td class=\"num\">{Text(Value(r.Groups[k].Energy))}</td><td class=\"num\">{I(r.Groups[k].States)}</td>" +
                         $"<td class=\"num\">{Text(Value(r.SteadyPopulations[k]))}</td>");
                foreach (var gb in r.Gibbs) s.Append($"<td class=\"num\">{Text(Value(gb.Populations[k]))}</td>");
                s.Append("</tr>");
            }
            s.Append("</table>");
        }
        if (r.Expectations.Count > 0)
        {
            s.Append("<table><tr><th>observable</th><th>⟨O⟩ in the steady state</th></tr>");
            foreach (var (name, v, hermitian) in r.Expectations)
                s.Append($"<tr><td>{Text(name)}</td><td class=\"num\">{Text(hermitian ? Value(v.Real) : TextOut.Complex(v))}</td></tr>");
            s.Append("</table>");
        }
        s.Append("</section>\n");
    }

    public static void Spectrum(StringBuilder s, ReportCommand.ReportData r)
    {
        var sp = r.Spectrum;
        Open(s, "spectrum");
        s.Append($"<p>Spectral gap {Text(Value(sp.SpectralGap))}, relaxation time 1/gap = {Text(Value(sp.RelaxationTime))}, " +
                 $"population gap {Text(sp.PopulationGap is { } pg ? Value(pg) : "—")}, kernel dimension {I(sp.KernelDimension)}" +
                 (sp.PersistentOscillations > 0 ? $", {I(sp.PersistentOscillations)} undamped oscillating mode(s)" : "") +
                 (sp.T1 is { } t1 ? $"; two-level system: T1 = {Text(Value(t1))}, T2 = {Text(sp.T2 is { } t2 ? Value(t2) : "—")}" : "") + ".</p>");
        const int maxPoints = 4096;
        var modes = sp.Eigenvalues.OrderByDescending(x => x.Eigenvalue.Real).Take(maxPoints).ToArray();
        var plot = new SvgPlot("eigenvalues λ of the generator", "Re λ", "Im λ") { Id = "spectrum-plot", IncludeOrigin = true }
            .AddPoints(modes.Select(x => x.Eigenvalue.Real).ToArray(), modes.Select(x => x.Eigenvalue.Imaginary).ToArray(), "λ", Palette[0], 3);
        if (sp.SpectralGap > 0) plot.AddMarker(-sp.SpectralGap, "−gap", Palette[3], 0.7, $"−gap = {Num(-sp.SpectralGap)}");
        s.Append(plot.Render());
        s.Append($"<p class=\"note\">{(sp.Eigenvalues.Count == r.Model.Dimension * (long)r.Model.Dimension ? $"All d² = {I(sp.Eigenvalues.Count)} eigenvalues" : $"{I(modes.Length)} eigenvalues (of the Bohr sectors not skipped: they include every slowest mode; {I(sp.SkippedSectors)} sectors skipped" +
                   (sp.Method == SpectrumMethod.KmsLanczos ? "; of the population block only its kernel and slowest decays, found by Lanczos" : "") + ")")}; " +
                 $"method {Text(sp.Method.ToWireName())}.</p>");
        s.Append("<table><tr><th>mode</th><th>Re λ</th><th>Im λ</th><th>Bohr frequency ν</th></tr>");
        for (int i = 0; i < sp.SlowestModes.Count; i++)
        {
            var mode = sp.SlowestModes[i];
            s.Append($"<tr><td class=\"num\">{I(i)}</td><td class=\"num\">{Text(Value(mode.Eigenvalue.Real))}</td><td class=\"num\">{Text(Value(mode.Eigenvalue.Imaginary))}</td><td class=\"num\">{Text(Value(mode.BohrFrequency))}</td></tr>");
        }
        s.Append("</table></section>\n");
    }

    public static void Relaxation(StringBuilder s, ReportCommand.ReportData r)
    {
        Open(s, "relaxation");
        if (r.Relaxation is not { } run)
        {
            s.Append($"<p>Not computed: the model has {I(r.Model.Bohr.PositiveCount)} distinct positive Bohr frequencies, more than " +
                     $"{I(ReportCommand.RelaxationSectorLimit)} (the exact evolution prepares a propagator for every Bohr sector). " +
                     $"Run <code>davies evolve MODEL --initial {Text(r.InitialState)} --times 0:T:101</code> for it.</p></section>\n");
            return;
        }
        int n = ReportCommand.CurvePoints;
        var t = run.Times.Take(n).ToArray();
        s.Append($"<p>From the most excited eigenstate (<code>--initial {Text(r.InitialState)}</code>) over {Text(Num(ReportCommand.RelaxationTimes))} relaxation times " +
                 $"(the same exact evolution as <code>davies evolve</code>).</p><div class=\"grid\"><div>");
        string what = r.TraceDistance ? "trace distance ½‖ρ(t) − ρ∞‖₁" : "population distance ½Σ_N |p_N(t) − p_N(∞)| (levels)";
        var positive = r.Distance.Select(x => x > 1e-16 ? x : double.NaN).ToArray();
        s.Append(new SvgPlot($"distance to the limit: {what}", "t", "distance") { Id = "relaxation-plot", LogY = true }
            .AddLine(t, positive, what.Split(' ')[0] + " distance", Palette[0]).Render());
        s.Append("</div>");
        if (run.ObservableNames.Count > 0)
        {
            var plot = new SvgPlot("observables ⟨O⟩(t)", "t", "⟨O⟩") { Id = "observables-plot" };
            int k = 0;
            foreach (var name in run.ObservableNames)
            {
                var z = run.ComplexExpectations[name];
                plot.AddLine(t, z.Take(n).Select(v => v.Real).ToArray(), z.Any(v => Math.Abs(v.Imaginary) > 1e-12) ? $"Re ⟨{name}⟩" : $"⟨{name}⟩", Palette[k++ % Palette.Length]);
            }
            s.Append("<div>").Append(plot.Render()).Append("</div>");
        }
        else
        {
            var plot = new SvgPlot("level populations p_N(t)", "t", "population") { Id = "observables-plot" };
            int levels = Math.Min(8, run.LevelPopulations[0].Length);
            for (int k = 0; k < levels; k++)
                plot.AddLine(t, run.LevelPopulations.Take(n).Select(p => p[k]).ToArray(), $"level {k}", Palette[k % Palette.Length]);
            s.Append("<div>").Append(plot.Render()).Append("</div>");
        }
        s.Append("</div></section>\n");
    }

    public static void Validity(StringBuilder s, ReportCommand.ReportData r)
    {
        Open(s, "validity");
        s.Append("<p>May the Born–Markov–secular approximations behind the Davies equation be trusted? (docs/validity.md)</p>");
        s.Append("<table><tr><th>criterion</th><th>value</th><th>threshold</th><th></th><th>detail</th></tr>");
        foreach (var c in r.Validity.Criteria)
            s.Append($"<tr><td>{Text(c.Name)}</td><td class=\"num\">{Text(ValidityOutput.Format(c.Value))}</td><td class=\"num\">{Text(ValidityOutput.Format(c.Threshold))}</td>" +
                     $"<td>{(c.Ok ? "<span class=\"ok\">ok</span>" : "<span class=\"fail\">fails</span>")}</td><td>{Text(c.Detail)}{(c.Ok ? "" : " — " + Text(c.Advice))}</td></tr>");
        s.Append("</table></section>\n");
    }

    public static void Conserved(StringBuilder s, ReportCommand.ReportData r)
    {
        var c = r.Conserved;
        Open(s, "conserved");
        s.Append($"<p>{c.Count.ToString(CultureInfo.InvariantCulture)} conserved quantities L†(X) = 0 (the kernel dimension)" +
                 (c.Truncated ? $", {I(c.Quantities.Count)} listed" : "") + " (docs/conserved.md).</p>");
        s.Append("<table><tr><th>X</th><th>⟨X⟩ in the state shown</th><th>description</th></tr>");
        foreach (var q in c.Quantities)
            s.Append($"<tr><td><code>{Text(q.Expression)}</code></td><td class=\"num\">{Text(Value(q.Expectation))}</td><td>{Text(q.Description)}</td></tr>");
        s.Append("</table>");
        if (c.InvariantSubspaces is { Count: > 0 } subspaces && !r.Steady.Unique)
        {
            s.Append("<table><tr><th>invariant subspace</th><th>dimension</th><th>steady states</th><th>weight</th><th>Gibbs weight</th></tr>");
            for (int k = 0; k < Math.Min(32, subspaces.Count); k++)
            {
                var sub = subspaces[k];
                s.Append($"<tr><td>{I(k + 1)}: E ≥ {Text(Value(sub.LowestEnergy))}</td><td class=\"num\">{I(sub.Dimension)}</td><td class=\"num\">{sub.KernelDimension.ToString(CultureInfo.InvariantCulture)}</td>" +
                         $"<td class=\"num\">{Text(Value(sub.Weight))}</td><td class=\"num\">{Text(sub.GibbsWeight is { } gw ? Value(gw) : "—")}</td></tr>");
            }
            s.Append("</table>");
        }
        if (c.TransientDimension > 0)
            s.Append($"<p>{I(c.TransientDimension)} transient eigenstate(s) (a bath at T = 0): no stationary state has weight there.</p>");
        s.Append("</section>\n");
    }
}

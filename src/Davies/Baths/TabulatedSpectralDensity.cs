namespace Davies.Baths;

/// <summary>
/// Tabulated J(ω): points (ω &gt; 0 strictly increasing, J ≥ 0 finite), piecewise-linear interpolation, anchored at
/// J(0) = 0 (linear from the origin to the first point) and J = 0 beyond the last point. End the table with J = 0
/// unless a hard edge is intended: a jump at the last point makes the Lamb shift diverge (logarithmically) there.
/// </summary>
public sealed class TabulatedSpectralDensity : ISpectralDensity, IQuadratureHints
{
    private readonly double[] _omega;
    private readonly double[] _j;

    /// <summary>Creates the density from its table.</summary>
    /// <param name="points">The (ω, J) pairs; copied.</param>
    /// <exception cref="ModelException">The table is empty, or has a bad ω or J, or ω is not strictly increasing.</exception>
    public TabulatedSpectralDensity(IReadOnlyList<(double Omega, double J)> points)
    {
        if (points is null || points.Count == 0)
            throw new ModelException("points must contain at least one (ω, J) pair");
        _omega = new double[points.Count];
        _j = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            var (w, j) = points[i];
            if (!(w > 0) || !double.IsFinite(w))
                throw new ModelException($"points[{i}]: ω must be a positive finite number, got {BathParameters.Format(w)}");
            if (!double.IsFinite(j))
                throw new ModelException($"points[{i}]: J(ω) must be finite, got {BathParameters.Format(j)} at ω = {BathParameters.Format(w)}");
            if (j < 0)
                throw new ModelException($"points[{i}]: J(ω) must be ≥ 0, got {BathParameters.Format(j)} at ω = {BathParameters.Format(w)}");
            if (i > 0 && !(w > _omega[i - 1]))
                throw new ModelException(
                    $"points must have strictly increasing ω > 0 (points[{i}] has ω = {BathParameters.Format(w)} after ω = {BathParameters.Format(_omega[i - 1])})");
            _omega[i] = w;
            _j[i] = j;
        }
        Points = Array.AsReadOnly(_omega.Zip(_j, (w, j) => (w, j)).ToArray());
    }

    /// <summary>The table (a read-only copy).</summary>
    public IReadOnlyList<(double Omega, double J)> Points { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="omega"/> is negative or not finite.</exception>
    public double Evaluate(double omega)
    {
        BathParameters.RequireNonNegative(omega);
        int n = _omega.Length;
        if (omega > _omega[n - 1]) return 0;
        if (omega <= _omega[0]) return _j[0] * (omega / _omega[0]);
        int k = Array.BinarySearch(_omega, omega);
        if (k >= 0) return _j[k];
        int hi = ~k, lo = hi - 1; // _omega[lo] < ω < _omega[hi]
        double t = (omega - _omega[lo]) / (_omega[hi] - _omega[lo]);
        return _j[lo] + t * (_j[hi] - _j[lo]);
    }

    /// <summary>J₀/ω₀ of the first point (the table is linear from the origin).</summary>
    public double LowFrequencySlope => _j[0] / _omega[0];

    /// <summary>The last tabulated frequency.</summary>
    public double CharacteristicFrequency => _omega[^1];

    /// <summary>E.g. "tabulated(12 points, ω from 0.1 to 10)".</summary>
    public string Description =>
        $"tabulated({_omega.Length} point{(_omega.Length == 1 ? "" : "s")}, ω from {BathParameters.Format(_omega[0])} to {BathParameters.Format(_omega[^1])})";

    IReadOnlyList<double> IQuadratureHints.Kinks => _omega;
    double IQuadratureHints.SupportEnd => _omega[^1];
    IReadOnlyList<double> IQuadratureHints.Scales => [_omega[^1]];
    double IQuadratureHints.LowFrequencyExponent => 1;
    double IQuadratureHints.JumpAtSupportEnd => _j[^1];
}

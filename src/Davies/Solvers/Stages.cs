namespace Davies.Solvers;

/// <summary>
/// The progress reports and the cancellation of one solver run (<see cref="SolverOptions.Progress"/>,
/// <see cref="SolverOptions.Cancellation"/>): each stage checks the token, then reports its message.
/// </summary>
internal readonly record struct Stages(IProgress<string>? Progress, CancellationToken Cancellation)
{
    /// <summary>Throws <see cref="OperationCanceledException"/> when cancelled, then reports <paramref name="message"/>.</summary>
    public void Start(string message)
    {
        Cancellation.ThrowIfCancellationRequested();
        Progress?.Report(message);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public void ThrowIfCancelled() => Cancellation.ThrowIfCancellationRequested();

    /// <summary>A counter of <paramref name="total"/> steps that reports "<paramref name="label"/> P %" as P grows.</summary>
    public Percent Counter(string label, int total) => new(Progress, label, total);

    /// <summary>
    /// Counts steps (thread-safe) and reports "label P %" each time the whole percentage P grows, in increasing order.
    /// </summary>
    internal sealed class Percent(IProgress<string>? progress, string label, int total)
    {
        private readonly object _gate = new();
        private int _done, _reported;

        /// <summary>One more step done.</summary>
        public void Step()
        {
            int percent = (int)(100L * Interlocked.Increment(ref _done) / Math.Max(total, 1));
            if (progress is not null && percent > Volatile.Read(ref _reported))
                lock (_gate)
                    if (percent > _reported)
                    {
                        _reported = percent;
                        progress.Report($"{label} {percent} %");
                    }
        }
    }
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Davies.LinearAlgebra;

namespace Davies.Studies;

/// <summary>One point of a sweep, as handed to the evaluator.</summary>
/// <param name="Index">Its index in the grid (row-major; see <see cref="SweepGrid"/>).</param>
/// <param name="Values">The swept parameters' values, one per axis in order.</param>
/// <param name="Parameters">The same by name.</param>
public sealed record SweepPoint(int Index, IReadOnlyList<double> Values, IReadOnlyDictionary<string, double> Parameters);

/// <summary>The outcome of one point.</summary>
/// <param name="Index">Its index in the grid.</param>
/// <param name="Values">The swept parameters' values, one per axis in order.</param>
/// <param name="Quantities">One number per quantity (non-finite: no value, written null); empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the point has no quantities (e.g. the model is invalid at these values), or null.</param>
public sealed record SweepPointResult(int Index, IReadOnlyList<double> Values, IReadOnlyList<double> Quantities, string? Error);

/// <summary>How far a sweep is: points done (with errors among them) of those it computes, the time so far and the estimate of the rest.</summary>
/// <param name="Done">Points computed so far in this run (with or without an error).</param>
/// <param name="Total">Points this run computes (the shard's points not skipped).</param>
/// <param name="Errors">Points among <paramref name="Done"/> that ended with an error.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Remaining">Estimated time to the end (proportional to the points left), or null before the first point.</param>
public sealed record SweepProgress(int Done, int Total, int Errors, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>Options of <see cref="SweepRunner.Run"/>.</summary>
public sealed class SweepRunOptions
{
    /// <summary>
    /// Points computed at once (default 1). Each point's linear algebra runs single-threaded whatever this number
    /// (OpenBLAS and the library's parallel loops): the jobs do not compete for the cores, and a point's numbers are
    /// the same bit for bit for any number of jobs, shard or machine core count.
    /// </summary>
    public int Jobs { get; init; } = 1;

    /// <summary>The slice of the grid to compute (default all of it).</summary>
    public SweepShard Shard { get; init; } = SweepShard.All;

    /// <summary>Points already done (e.g. read back from an output file for --resume): not computed again.</summary>
    public IReadOnlySet<int>? Skip { get; init; }

    /// <summary>Reported after every point (from the thread that finished it, one report at a time).</summary>
    public IProgress<SweepProgress>? Progress { get; init; }

    /// <summary>Stops the sweep: no new point starts, the points in flight see the token, and <see cref="SweepRunner.Run"/> returns.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a run did.</summary>
/// <param name="Total">Points of the shard.</param>
/// <param name="Computed">Points computed now (with or without an error).</param>
/// <param name="Skipped">Points skipped as already done.</param>
/// <param name="Errors">Points computed now that ended with an error.</param>
/// <param name="Cancelled">Whether the run was cancelled before every point was computed.</param>
public sealed record SweepRunSummary(int Total, int Computed, int Skipped, int Errors, bool Cancelled);

/// <summary>
/// Runs an evaluator over the points of a grid (one shard of it), several at once with <see cref="SweepRunOptions.Jobs"/>,
/// handing each result to a callback as soon as the point is done (in the order the points finish; with one job that is
/// grid order). A <see cref="DaviesException"/> from the evaluator makes the point a result with an error and the sweep
/// goes on; a <see cref="SweepException"/> or any other exception stops it and is rethrown; cancellation stops it and
/// returns.
/// </summary>
public static class SweepRunner
{
    /// <summary>Runs the sweep; see <see cref="SweepRunner"/>.</summary>
    /// <param name="grid">The points.</param>
    /// <param name="evaluate">Computes the quantities of one point (called concurrently with several jobs).</param>
    /// <param name="onResult">Receives every result, one call at a time (e.g. to append it to an output file).</param>
    /// <param name="options">Jobs, shard, points to skip, progress and cancellation.</param>
    public static SweepRunSummary Run(SweepGrid grid, Func<SweepPoint, CancellationToken, IReadOnlyList<double>> evaluate,
        Action<SweepPointResult> onResult, SweepRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentNullException.ThrowIfNull(onResult);
        options ??= new SweepRunOptions();
        if (options.Jobs < 1) throw new SweepException($"jobs: must be at least 1, got {options.Jobs}");
        var all = grid.Points(options.Shard).ToArray();
        var todo = options.Skip is { Count: > 0 } skip ? all.Where(p => !skip.Contains(p)).ToArray() : all;
        var clock = Stopwatch.StartNew();
        var gate = new object();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        int next = -1, done = 0, errors = 0;
        Exception? fatal = null;

        void Fail(Exception e)
        {
            lock (gate) fatal ??= e;
            stop.Cancel();
        }

        void Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                int k = Interlocked.Increment(ref next);
                if (k >= todo.Length) return;
                int p = todo[k];
                var point = new SweepPoint(p, grid.ValuesAt(p), grid.ParametersAt(p));
                SweepPointResult result;
                try
                {
                    result = new SweepPointResult(p, point.Values, evaluate(point, stop.Token), null);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SweepException e)
                {
                    Fail(e);
                    return;
                }
                catch (DaviesException e)
                {
                    result = new SweepPointResult(p, point.Values, [], e.Message);
                }
                catch (Exception e)
                {
                    Fail(e);
                    return;
                }
                lock (gate)
                {
                    if (fatal is not null) return;
                    try
                    {
                        onResult(result);
                    }
                    catch (Exception e)
                    {
                        fatal = e;
                        stop.Cancel();
                        return;
                    }
                    done++;
                    if (result.Error is not null) errors++;
                    var elapsed = clock.Elapsed;
                    TimeSpan? rest = done > 0 ? elapsed * ((double)(todo.Length - done) / done) : null;
                    options.Progress?.Report(new SweepProgress(done, todo.Length, errors, elapsed, rest));
                }
            }
        }

        int jobs = Math.Min(options.Jobs, Math.Max(1, todo.Length));
        // Every point single-threaded, whatever the number of jobs: multi-threaded BLAS rounds differently from
        // single-threaded BLAS, so this keeps a point's numbers the same for any --jobs, any --shard and any core count.
        using var single = Parallelism.SingleThreadedScope();
        if (jobs == 1) Worker();
        else
        {
            var threads = Enumerable.Range(0, jobs).Select(j => new Thread(Worker, 16 * 1024 * 1024) { Name = $"davies sweep job {j}", IsBackground = true }).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        if (fatal is not null) ExceptionDispatchInfo.Capture(fatal).Throw();
        return new SweepRunSummary(all.Length, done, all.Length - todo.Length, errors, done < todo.Length);
    }
}

// A command on a small model allocates a few MiB and would end with one gen0 collection compacting the heap into fresh
// pages (~190 page faults and ~4 ms of a 45 ms process on the benchmark VM, docs/benchmarks.md "Whole-process time, third
// pass"). The first NoGcBytes of the process are allocated without a collection; past them the collector runs as usual
// (a larger model only commits this much memory earlier). The process entry only: tests and library users are untouched.
const long NoGcBytes = 32L << 20, NoGcLargeObjectBytes = 16L << 20;
try { GC.TryStartNoGCRegion(NoGcBytes, NoGcLargeObjectBytes); }
catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException) { } // a GC that cannot: run as usual
// The first chunks of the heap's regions on huge pages instead of ~1,000 page faults (FreshMemory).
Davies.Cli.FreshMemory.Start();
return Davies.Cli.CliApp.Run(args, Console.Out, Console.Error);

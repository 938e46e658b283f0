using Davies.LinearAlgebra;

namespace Davies.Spectral;

/// <summary>
/// What a streaming build (<see cref="EnergyBasisModel.KeepCouplingsBelow"/>) takes from each coupling before it drops
/// it, so that the steady state, the heat currents and the population block of a non-degenerate H_S need no coupling
/// again (docs/algorithms.md, "Streaming build"). For each coupling α (bath b) and eigenvector m, with ω = E_m − E_n and
/// the sums over n ≠ m:
/// the Pauli rate matrix W[n, m] += G_b(ω)|A_α[n, m]|² (all couplings, one d × d array);
/// the decay D_α[m] = Σ_n G_b(ω)|A_α[n, m]|², the Lamb sum S_α[m] = Σ_n S_b(ω)|A_α[n, m]|² (the 1 × 1 blocks K and
/// H_LS of the generator before their ω = 0 term), the heat weight Q_α[m] = Σ_n G_b(ω)(E_n − E_m)|A_α[n, m]|² (heat
/// currents J_b = Σ_{α of b} Σ_m p_m Q_α[m], heat operators Ω_{b,m} = −Σ_{α of b} Q_α[m]) and the diagonal A_α[m, m];
/// and for any spectrum the classes of eigenvectors that no coupling joins (<see cref="JumpOperators.Classes"/>).
/// Each sum is computed with the same kernels and in the same order within a column as from kept couplings; only
/// the order in which the couplings are added into W differs (roots before their mirror images), a rounding-level
/// difference.
/// </summary>
internal sealed class StreamedSums
{
    private double[]? _pauli;

    private StreamedSums(int couplings)
    {
        Decay = new double[couplings][];
        Lamb = new double[couplings][];
        Heat = new double[couplings][];
        Diagonal = new Complex[couplings][];
        Real = new bool[couplings];
    }

    /// <summary>Whether each coupling's eigenbasis array is real.</summary>
    public bool[] Real { get; }

    /// <summary>
    /// [n + m·d] = 1 when some coupling has A_α[n, m] ≠ 0 (after cleaning): the pairs the sector bounds gather (null
    /// for a degenerate H_S).
    /// </summary>
    public byte[]? Connected { get; private set; }

    /// <summary>W (column-major d × d, columns summing to zero), or null once released (non-degenerate H_S only).</summary>
    public double[]? Pauli => Volatile.Read(ref _pauli);

    /// <summary>Drops W (it is formed again from a stream over the couplings when asked for).</summary>
    public void ReleasePauli() => Volatile.Write(ref _pauli, null);

    /// <summary>D_α[m], by coupling (null for a degenerate H_S).</summary>
    public double[]?[] Decay { get; }

    /// <summary>S_α[m], by coupling (null for a degenerate H_S).</summary>
    public double[]?[] Lamb { get; }

    /// <summary>Q_α[m], by coupling (null for a degenerate H_S).</summary>
    public double[]?[] Heat { get; }

    /// <summary>A_α[m, m], by coupling (null for a degenerate H_S).</summary>
    public Complex[]?[] Diagonal { get; }

    /// <summary>The class of each eigenvector (the smallest eigenvector of its connected component).</summary>
    public int[]? Classes { get; private set; }

    private PairValues? _pairs;

    /// <summary>
    /// The root couplings' entries that the sector bounds gather (<see cref="PairValues"/>), when the build took them (null:
    /// not taken, or already handed to the bounds).
    /// </summary>
    public PairValues? Pairs => Volatile.Read(ref _pairs);

    /// <summary>Hands <see cref="Pairs"/> to its one consumer (the sector bounds release them as they read them).</summary>
    public PairValues? TakePairs() => Interlocked.Exchange(ref _pairs, null);

    /// <summary>Whether the per-eigenvector sums were taken (a non-degenerate H_S).</summary>
    public bool HasColumnSums => Diagonal.Length > 0 && Diagonal[0] is not null;

    /// <summary>Collects the sums coupling by coupling during the build's one pass.</summary>
    internal sealed class Accumulator
    {
        private readonly StreamedSums _sums;
        private readonly EigenBasis _basis;
        private readonly BohrFrequencies _bohr;
        private readonly double[][] _rates;
        private readonly double[][] _lamb;
        private readonly int[] _bathOf;
        private readonly Generators.DisjointSets _classes;
        private readonly bool _columns;
        private PairValues? _pairs;      // the roots' entries for the sector bounds, while they fit
        private long _pairsAllowance;    // bytes they may take
        private int _pairsLeft;          // roots still to come

        public Accumulator(EigenBasis basis, BohrFrequencies bohr, double[][] rates, double[][] lamb, int[] bathOf)
        {
            _basis = basis;
            _bohr = bohr;
            _rates = rates;
            _lamb = lamb;
            _bathOf = bathOf;
            int d = basis.Dimension;
            _sums = new StreamedSums(bathOf.Length);
            _classes = new Generators.DisjointSets(d);
            _columns = basis.IsNonDegenerate;
            if (_columns)
            {
                _sums._pauli = LargeArrays.Zeroed<double>((long)d * d);
                _sums.Connected = LargeArrays.Zeroed<byte>((long)d * d);
            }
        }

        /// <summary>
        /// Also keeps the entries of the <paramref name="roots"/> root couplings that the sector bounds read
        /// (<see cref="PairValues"/>), as long as they fit in <paramref name="allowance"/> bytes: before each root's values
        /// are allocated, what is held, that root and as much again for every root still to come must fit; otherwise none
        /// are kept (the bounds then transform the couplings again). Non-degenerate H_S only.
        /// </summary>
        public void KeepPairs(long allowance, int roots)
        {
            if (!_columns || roots == 0) return;
            _pairs = new PairValues(_basis.Dimension, _bathOf.Length);
            _pairsAllowance = allowance;
            _pairsLeft = roots;
        }

        /// <summary>Takes coupling <paramref name="c"/>'s contributions (any order of couplings).</summary>
        public void Add(int c, CouplingMatrix a) => Add(c, a, []);

        /// <summary>
        /// Takes coupling <paramref name="c"/>'s contributions and, in the same pass, those of the couplings
        /// <paramref name="images"/>: mirror images of <paramref name="a"/> (A_i[n, m] = χ_n χ_m A[n, m], the same squares
        /// and diagonal) whose baths have the same rate and Lamb tables (the same arrays), so their per-eigenvector sums
        /// are copies and W gets the same contribution once per coupling. One fused pass per column: |A[n, m]|² is read
        /// once for W, Γ, the Lamb and heat sums and the connectivity table.
        /// </summary>
        /// <para>
        /// <paramref name="root"/>: <paramref name="a"/> is a root's cleaned transform, whose bound entries are kept when
        /// <see cref="KeepPairs"/> asked for them and they fit.
        /// </para>
        public void Add(int c, CouplingMatrix a, IReadOnlyList<int> images, bool root = false)
        {
            Join(a);
            _sums.Real[c] = a.IsReal;
            foreach (int i in images) _sums.Real[i] = a.IsReal;
            if (!_columns) return;
            var connected = _sums.Connected!;
            int d = _basis.Dimension, P = _bohr.PositiveCount;
            var e = _basis.Energies;
            double[] rates = _rates[_bathOf[c]], lamb = _lamb[_bathOf[c]];
            double copies = 1 + images.Count;
            var w = _sums._pauli!;
            var decay = _sums.Decay[c] = new double[d];
            var lambSum = _sums.Lamb[c] = new double[d];
            var heat = _sums.Heat[c] = new double[d];
            var diagonal = _sums.Diagonal[c] = new Complex[d];
            var re = a.RealData;
            var pairs = root ? _pairs : null;
            var bits = pairs?.NewBits();
            int words = pairs?.Words ?? 0;
            var counts = pairs is null ? null : new int[d];
            Parallel.For(0, d, DenseKernels.ParallelOver(d), () => new double[d], (m, _, sq) =>
            {
                long col = (long)m * d;
                // |A[n, m]|² of the column, once
                if (re is not null)
                {
                    var x = re.AsSpan((int)col, d);
                    for (int n = 0; n < d; n++) sq[n] = x[n] * x[n];
                }
                else for (int n = 0; n < d; n++) sq[n] = a.Norm2(n + col);
                // the rates out of m as JumpOperators.RatesOutOf gathers them (n = m: no ω = 0 term)
                var wm = w.AsSpan((int)col, d);
                double em = e[m], g = 0, s = 0, h = 0;
                int held = 0;
                long bitsAt = (long)m * words;
                for (int n = 0; n < d; n++)
                {
                    double a2 = sq[n];
                    if (a2 == 0 || n == m) continue;
                    connected[n + col] = 1;
                    int id = P - _bohr.Id(m, n);
                    if (bits is not null && id < P) // Id(m, n) > 0: a pair (a, a′) = (m, n) of the bounds
                    {
                        bits[bitsAt + (n >> 6)] |= 1UL << (n & 63);
                        held++;
                    }
                    double gn = rates[id] * a2;
                    wm[n] += copies * gn; // copies = 1 + images: exact for 1
                    g += gn;
                    s += lamb[id] * a2;
                    h += gn * (e[n] - em);
                }
                if (sq[m] != 0) connected[m + col] = 1;
                if (counts is not null) counts[m] = held;
                decay[m] = g;
                lambSum[m] = s;
                heat[m] = h;
                diagonal[m] = a[(int)(m + (long)m * d)];
                return sq;
            }, _ => { });
            if (pairs is not null)
            {
                long entries = 0;
                foreach (int x in counts!) entries += x;
                long bytes = pairs.BytesFor(entries, a.IsReal);
                if (pairs.Bytes + bytes * _pairsLeft <= _pairsAllowance) pairs.Fill(c, a, bits!, counts);
                else
                {
                    pairs.Clear(); // they would not fit: the bounds take a second pass over the couplings
                    _pairs = null;
                }
                _pairsLeft--;
            }
            foreach (int i in images)
            {
                _sums.Decay[i] = (double[])decay.Clone();
                _sums.Lamb[i] = (double[])lambSum.Clone();
                _sums.Heat[i] = (double[])heat.Clone();
                _sums.Diagonal[i] = (Complex[])diagonal.Clone();
            }
        }

        /// <summary>Whether couplings <paramref name="c"/> and <paramref name="other"/> have the same rate and Lamb tables.</summary>
        public bool SameTables(int c, int other) =>
            ReferenceEquals(_rates[_bathOf[c]], _rates[_bathOf[other]]) && ReferenceEquals(_lamb[_bathOf[c]], _lamb[_bathOf[other]]);

        // Union-find over the coupling's non-zeros (stops once every eigenvector is joined); the root of a component is
        // its smallest member, as in JumpOperators.Classes.
        private void Join(CouplingMatrix a)
        {
            int d = _basis.Dimension;
            for (int m = 0; m < d && _classes.Count > 1; m++) _classes.JoinColumn(a, m);
        }

        /// <summary>The sums: W's diagonal set so that its columns sum to zero, the classes resolved.</summary>
        public StreamedSums Finish()
        {
            int d = _basis.Dimension;
            if (_columns)
            {
                var w = _sums._pauli!;
                Parallel.For(0, d, DenseKernels.ParallelOver(d), m =>
                {
                    var col = w.AsSpan((int)((long)m * d), d);
                    double out_ = 0;
                    for (int n = 0; n < d; n++) out_ += col[n];
                    col[m] = -out_;
                });
            }
            var classes = new int[d];
            for (int k = 0; k < d; k++) classes[k] = _classes.Find(k);
            _sums.Classes = classes;
            _sums._pairs = _pairs is { } pairs && _pairsLeft == 0 ? pairs : null;
            return _sums;
        }
    }
}

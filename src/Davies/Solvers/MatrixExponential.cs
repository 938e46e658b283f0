namespace Davies.Solvers;

/// <summary>
/// The matrix exponential by scaling and squaring with a diagonal Padé approximant (Higham, "The scaling and
/// squaring method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26, 1179 (2005), Algorithm 2.3):
/// the degree m ∈ {3, 5, 7, 9, 13} and the number of squarings s are chosen from ‖A‖₁ so that the backward error is
/// below the unit roundoff; then e^A = (r_m(A/2^s))^{2^s} with r_m = q_m(A)^{-1} p_m(A).
/// Used for Bohr sectors whose eigenvector matrix is ill-conditioned, where e^{At} = V e^{Λt} V⁻¹ loses accuracy.
/// </summary>
internal static class MatrixExponential
{
    private static readonly double[] Theta = [1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068, 5.371920351148152];
    private static readonly int[] Degrees = [3, 5, 7, 9, 13];

    private static readonly double[][] Coefficients =
    [
        [120, 60, 12, 1],
        [30240, 15120, 3360, 420, 30, 1],
        [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
        [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
         10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1],
    ];

    /// <summary>e^A for a square complex matrix (A is not modified).</summary>
    public static Matrix<Complex> Exp(Matrix<Complex> a)
    {
        if (a.RowCount != a.ColumnCount) throw new ArgumentException("the matrix exponential needs a square matrix", nameof(a));
        int n = a.RowCount;
        if (n == 0) return a.Clone();
        if (n == 1) return Matrix<Complex>.Build.Dense(1, 1, Complex.Exp(a[0, 0]));
        double norm = a.L1Norm();
        if (!double.IsFinite(norm)) throw new ArgumentException("the matrix has non-finite entries", nameof(a));
        var id = Matrix<Complex>.Build.DenseIdentity(n);
        for (int k = 0; k < 4; k++)
            if (norm <= Theta[k]) return Pade(a, id, k);

        int s = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / Theta[4])));
        var scaled = a / Math.Pow(2, s);
        var r = Pade(scaled, id, 4);
        for (int i = 0; i < s; i++) r = r * r;
        return r;
    }

    // r_m(A) = (V − U)⁻¹ (V + U), U the odd part of p_m, V the even part.
    private static Matrix<Complex> Pade(Matrix<Complex> a, Matrix<Complex> id, int which)
    {
        var b = Coefficients[which];
        int m = Degrees[which];
        var a2 = a * a;
        Matrix<Complex> u, v;
        if (m < 13)
        {
            // powers A^0, A^2, A^4, … up to A^{m−1}
            var powers = new List<Matrix<Complex>> { id, a2 };
            while (2 * powers.Count <= m - 1) powers.Add(powers[^1] * a2);
            var uSum = Matrix<Complex>.Build.Dense(a.RowCount, a.RowCount);
            v = Matrix<Complex>.Build.Dense(a.RowCount, a.RowCount);
            for (int k = 0; k < powers.Count; k++)
            {
                uSum += b[2 * k + 1] * powers[k];
                v += b[2 * k] * powers[k];
            }
            u = a * uSum;
        }
        else
        {
            var a4 = a2 * a2;
            var a6 = a4 * a2;
            u = a * (a6 * (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * id);
            v = a6 * (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * id;
        }
        return (v - u).Solve(v + u);
    }
}

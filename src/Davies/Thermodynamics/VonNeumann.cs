using Davies.Solvers;

namespace Davies.Thermodynamics;

/// <summary>
/// The von Neumann entropy S = −Tr[ρ ln ρ] of ρ(t) on a propagator, and its rate dS/dt = −Tr[ρ̇ ln ρ] (Tr ρ̇ = 0) with
/// ρ̇ = L(ρ(t)) from each block's generator. Eigenvalues below <see cref="HeatAndEntropy.ZeroProbability"/> are zeros:
/// they add nothing to S, and to dS/dt nothing while they stay empty, +∞ (returned as null) while they fill.
/// </summary>
internal static class VonNeumann
{
    /// <summary>S and dS/dt (null when +∞) of ρ with rate ρ̇ (eigenbasis of the propagator's model).</summary>
    public static (double Entropy, double? Rate) Of(Matrix<Complex> rho, Matrix<Complex> rhoDot, bool coherences, Propagator propagator)
    {
        var dm = propagator.Model;
        double s = 0, rate = 0;
        bool infinite = false;
        double scale = Math.Max(propagator.Scale, double.Epsilon);
        void Add(HermitianEigenPart part)
        {
            for (int i = 0; i < part.Values.Length; i++)
            {
                double p = part.Values[i];
                double flow = part.Flow(i);
                if (p <= HeatAndEntropy.ZeroProbability)
                {
                    if (flow > 1e-12 * scale) infinite = true;
                    continue;
                }
                s -= p * Math.Log(p);
                rate -= flow * Math.Log(p);
            }
        }
        if (coherences) Add(HermitianEigenPart.Of(rho, rhoDot, 0, dm.Dimension, propagator.Backend));
        else
            foreach (var l in dm.Basis.Levels) Add(HermitianEigenPart.Of(rho, rhoDot, l.Start, l.Count, propagator.Backend));
        return (s, infinite ? null : rate);
    }

    // The eigen-decomposition of the diagonal block [start, start + n) of ρ (Hermitian part) and the flows
    // ⟨u_i|ρ̇|u_i⟩ into its eigenvectors.
    private sealed class HermitianEigenPart
    {
        private double[] _flows = [];

        public double[] Values { get; private set; } = [];

        public double Flow(int i) => _flows[i];

        public static HermitianEigenPart Of(Matrix<Complex> rho, Matrix<Complex> dot, int start, int n, LinearAlgebra.ILinearAlgebraBackend backend)
        {
            var block = rho.SubMatrix(start, n, start, n);
            block = 0.5 * (block + block.ConjugateTranspose());
            var dotBlock = dot.SubMatrix(start, n, start, n);
            if (n == 1) return new HermitianEigenPart { Values = [block[0, 0].Real], _flows = [dotBlock[0, 0].Real] };
            var eig = backend.EigenHermitian(block);
            var w = backend.Multiply(dotBlock, eig.Vectors); // flows: diag(U† ρ̇ U)
            var flows = new double[n];
            for (int i = 0; i < n; i++)
            {
                Complex acc = 0;
                for (int k = 0; k < n; k++) acc += Complex.Conjugate(eig.Vectors[k, i]) * w[k, i];
                flows[i] = acc.Real;
            }
            return new HermitianEigenPart { Values = eig.Values, _flows = flows };
        }
    }
}

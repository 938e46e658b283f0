using System.Runtime.CompilerServices;
using Davies.LinearAlgebra;
using Davies.Spaces;

namespace Davies.Spectral;

/// <summary>
/// A coupling operator in the eigenbasis, A = V† S V, stored column-major (A[n + m·d] = ⟨n|S|m⟩) as real numbers
/// when H_S and S are real (half the memory) and as complex numbers otherwise.
/// </summary>
internal sealed class CouplingMatrix
{
    private readonly double[]? _re;
    private readonly Complex[]? _z;

    private CouplingMatrix(int dimension, double[]? re, Complex[]? z)
    {
        Dimension = dimension;
        _re = re;
        _z = z;
    }

    public int Dimension { get; }

    public bool IsReal => _re is not null;

    /// <summary>The column-major data when real, else null.</summary>
    public double[]? RealData => _re;

    /// <summary>The column-major data when complex, else null.</summary>
    public Complex[]? ComplexData => _z;

    /// <summary>A[index] (a 64-bit index: d² may exceed 2³¹).</summary>
    public Complex this[long index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _re is not null ? new Complex(_re[index], 0) : _z![index];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set
        {
            if (_re is not null) _re[index] = value.Real;
            else _z![index] = value;
        }
    }

    /// <summary>|A[index]|² (inlined: the per-entry passes over d² entries call it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Norm2(long index)
    {
        if (_re is not null) return _re[index] * _re[index];
        var z = _z![index];
        return z.Real * z.Real + z.Imaginary * z.Imaginary;
    }

    public static CouplingMatrix Of(Matrix<double> a) =>
        new(a.RowCount, a.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> d ? d.Data : a.ToColumnMajorArray(), null);

    public static CouplingMatrix Of(Matrix<Complex> a) =>
        new(a.RowCount, null, a.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> d ? d.Data : a.ToColumnMajorArray());

    public Complex[] ToComplexArray() => _re is not null ? _re.Select(x => new Complex(x, 0)).ToArray() : (Complex[])_z!.Clone();
}

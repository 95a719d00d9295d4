namespace Pipeline.Engine.Numerics;

/// <summary>
/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (float64): simple and accurate to
/// the last digits, and cheap next to what it serves (a few hundred rows, once per orthonormalisation).
/// </summary>
public static class JacobiEigen
{
    /// <summary>
    /// Decomposes the symmetric l×l <paramref name="matrix"/> (row-major, destroyed). Returns the eigenvalues in
    /// descending order and the eigenvectors as the columns of a row-major l×l matrix in the same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int l, int maxSweeps = 30)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Length != l * l) throw new ArgumentException("matrix must be l × l", nameof(matrix));
        var a = matrix;
        var v = new double[l * l];
        for (var i = 0; i < l; i++) v[i * l + i] = 1;
        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            var off = 0.0;
            var diagonal = 0.0;
            for (var p = 0; p < l; p++)
            {
                diagonal += a[p * l + p] * a[p * l + p];
                for (var q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
            }
            if (off <= 1e-22 * diagonal) break;
            for (var p = 0; p < l - 1; p++)
            for (var q = p + 1; q < l; q++)
            {
                var apq = a[p * l + q];
                if (Math.Abs(apq) < 1e-300) continue;
                var app = a[p * l + p];
                var aqq = a[q * l + q];
                var theta = (aqq - app) / (2 * apq);
                var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                if (theta == 0) t = 1;
                var c = 1 / Math.Sqrt(t * t + 1);
                var s = t * c;
                for (var k = 0; k < l; k++)
                {
                    var akp = a[k * l + p];
                    var akq = a[k * l + q];
                    a[k * l + p] = c * akp - s * akq;
                    a[k * l + q] = s * akp + c * akq;
                }
                for (var k = 0; k < l; k++)
                {
                    var apk = a[p * l + k];
                    var aqk = a[q * l + k];
                    a[p * l + k] = c * apk - s * aqk;
                    a[q * l + k] = s * apk + c * aqk;
                }
                for (var k = 0; k < l; k++)
                {
                    var vkp = v[k * l + p];
                    var vkq = v[k * l + q];
                    v[k * l + p] = c * vkp - s * vkq;
                    v[k * l + q] = s * vkp + c * vkq;
                }
            }
        }
        var order = Enumerable.Range(0, l).OrderByDescending(i => a[i * l + i]).ToArray();
        var values = order.Select(i => a[i * l + i]).ToArray();
        var vectors = new double[l * l];
        for (var r = 0; r < l; r++)
            for (var c = 0; c < l; c++) vectors[r * l + c] = v[r * l + order[c]];
        return (values, vectors);
    }
}

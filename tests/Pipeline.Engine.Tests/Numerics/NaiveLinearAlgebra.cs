namespace Pipeline.Engine.Tests.Numerics;

/// <summary>Textbook Gauss-Jordan with partial pivoting: an independent reference for the engine's fast inverse.</summary>
internal static class NaiveLinearAlgebra
{
    public static double[,] Inverse(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var work = new double[n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) work[i, j] = matrix[i, j];
            work[i, n + i] = 1;
        }
        for (var col = 0; col < n; col++)
        {
            var best = col;
            for (var r = col + 1; r < n; r++)
                if (Math.Abs(work[r, col]) > Math.Abs(work[best, col])) best = r;
            for (var j = 0; j < 2 * n; j++) (work[col, j], work[best, j]) = (work[best, j], work[col, j]);
            var pivot = work[col, col];
            for (var j = 0; j < 2 * n; j++) work[col, j] /= pivot;
            for (var r = 0; r < n; r++)
            {
                if (r == col) continue;
                var factor = work[r, col];
                for (var j = 0; j < 2 * n; j++) work[r, j] -= factor * work[col, j];
            }
        }
        var inverse = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) inverse[i, j] = work[i, n + j];
        return inverse;
    }

    /// <summary>A random SPD matrix: MᵀM plus a ridge, as a Gram matrix plus λI is.</summary>
    public static double[,] RandomSpd(int n, int seed, double ridge = 1.0)
    {
        var random = new Random(seed);
        var m = new double[n + 3, n];
        for (var i = 0; i < n + 3; i++)
            for (var j = 0; j < n; j++) m[i, j] = random.NextDouble() < 0.3 ? 1 : 0;
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var r = 0; r < n + 3; r++) sum += m[r, i] * m[r, j];
                a[i, j] = sum + (i == j ? ridge : 0);
            }
        return a;
    }

    public static float[] Flatten(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var flat = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) flat[i * n + j] = (float)matrix[i, j];
        return flat;
    }
}

using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// A normalised item-item graph filter (the linear filter of GF-CF, Shen et al. 2021, and of LinkProp/RP3β,
/// with its degree exponents free): S[i, j] = dᵢ^−a · Σᵥ dᵥ^−c · dⱼ^−b over the users v who have both i and j,
/// where d are item and user degrees in the binary feedback matrix. a = b = 0.5, c = 1 is GF-CF's R̃ᵀR̃; a = c = 1
/// is RP3β's two-step walk with popularity penalty b. A user scores xᵤ·S, the sum of S's rows for their items,
/// so a new event changes the next answer at once. Rows keep their <c>neighbours</c> largest entries: the served
/// model is sparse, and cheap to score and to load at 100k items.
/// </summary>
public static class ItemGraph
{
    /// <summary>
    /// C[i, j] = Σᵥ dᵥ^−<paramref name="userExponent"/> over the users who have both i and j (i ≠ j), every row complete.
    /// Rows are built in parallel with one dense accumulator per thread; the cost is Σᵥ dᵥ² additions.
    /// </summary>
    public static SparseRows CoOccurrence(FeedbackMatrix matrix, double userExponent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.ItemCount;
        var userWeight = new float[matrix.UserCount];
        for (var v = 0; v < userWeight.Length; v++)
        {
            var degree = matrix.UserOffsets[v + 1] - matrix.UserOffsets[v];
            userWeight[v] = degree == 0 ? 0f : (float)Math.Pow(degree, -userExponent);
        }
        var rows = new (int[] Columns, float[] Values)[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Sums: new float[n], Touched: new int[n]),
            (i, _, buffers) =>
            {
                var (sums, touched) = buffers;
                var count = 0;
                foreach (var v in matrix.UsersOf(i))
                {
                    var w = userWeight[v];
                    foreach (var j in matrix.ItemsOf(v))
                    {
                        if (sums[j] == 0f) touched[count++] = j;
                        sums[j] += w;
                    }
                }
                var kept = 0;
                var ids = new int[count];
                var values = new float[count];
                for (var k = 0; k < count; k++)
                {
                    var j = touched[k];
                    if (j != i) { ids[kept] = j; values[kept++] = sums[j]; }
                    sums[j] = 0f;
                }
                Array.Resize(ref ids, kept);
                Array.Resize(ref values, kept);
                Array.Sort(ids, values);
                rows[i] = (ids, values);
                return buffers;
            },
            _ => { });
        return SparseRows.Concatenate(rows, n);
    }

    /// <summary>dᵢ^−exponent for every item (0 for an item nobody has).</summary>
    public static float[] ItemScale(FeedbackMatrix matrix, double exponent)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var scale = new float[matrix.ItemCount];
        for (var i = 0; i < scale.Length; i++)
        {
            var degree = matrix.Popularity(i);
            scale[i] = degree == 0 ? 0f : (float)Math.Pow(degree, -exponent);
        }
        return scale;
    }

    /// <summary>S = diag(rowScale)·C·diag(columnScale), each row cut to its <paramref name="neighbours"/> largest entries.</summary>
    public static SparseRows Filter(SparseRows coOccurrence, float[] rowScale, float[] columnScale, int neighbours, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coOccurrence);
        ArgumentNullException.ThrowIfNull(rowScale);
        ArgumentNullException.ThrowIfNull(columnScale);
        if (neighbours < 1) throw new ArgumentOutOfRangeException(nameof(neighbours), "neighbours must be at least 1");
        var n = coOccurrence.RowCount;
        var rows = new (int[] Columns, float[] Values)[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Scaled: new float[16], Selection: new float[16]),
            (i, _, buffers) =>
            {
                var columns = coOccurrence.ColumnsOf(i);
                var values = coOccurrence.ValuesOf(i);
                if (buffers.Scaled.Length < columns.Length)
                {
                    buffers.Scaled = new float[Math.Max(columns.Length, 2 * buffers.Scaled.Length)];
                    buffers.Selection = new float[buffers.Scaled.Length];
                }
                var scaled = buffers.Scaled.AsSpan(0, columns.Length);
                var rowWeight = rowScale[i];
                for (var k = 0; k < columns.Length; k++) scaled[k] = rowWeight * values[k] * columnScale[columns[k]];
                var keep = Math.Min(neighbours, columns.Length);
                int[] ids;
                float[] kept;
                if (keep == columns.Length)
                {
                    ids = columns.ToArray();
                    kept = scaled.ToArray();
                }
                else
                {
                    // The k-th largest value by quickselect, then one pass in column order: everything above it and, of
                    // the values equal to it, the lowest columns (TopK's tie rule) - already sorted by column.
                    var selection = buffers.Selection.AsSpan(0, columns.Length);
                    scaled.CopyTo(selection);
                    var threshold = TopK.Threshold(selection, keep);
                    var above = 0;
                    foreach (var v in scaled) if (v > threshold) above++;
                    var ties = keep - above;
                    ids = new int[keep];
                    kept = new float[keep];
                    var found = 0;
                    for (var k = 0; k < columns.Length && found < keep; k++)
                    {
                        var v = scaled[k];
                        if (v > threshold || (v == threshold && ties-- > 0)) { ids[found] = columns[k]; kept[found++] = v; }
                    }
                }
                rows[i] = (ids, kept);
                return buffers;
            },
            _ => { });
        return SparseRows.Concatenate(rows, coOccurrence.ColumnCount);
    }
}

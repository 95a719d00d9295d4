namespace Pipeline.Engine.Recipes;

/// <summary>A sparse row-major matrix (CSR): row i's entries are Columns/Values[Offsets[i]..Offsets[i+1]].</summary>
public sealed class SparseRows
{
    public SparseRows(int[] offsets, int[] columns, float[] values, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != columns.Length || columns.Length != values.Length)
            throw new ArgumentException("offsets, columns and values disagree");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1]) throw new ArgumentException("offsets must not decrease");
        foreach (var column in columns)
            if ((uint)column >= (uint)columnCount) throw new ArgumentException("column out of range");
        Offsets = offsets;
        Columns = columns;
        Values = values;
        ColumnCount = columnCount;
    }

    public int[] Offsets { get; }
    public int[] Columns { get; }
    public float[] Values { get; }
    public int RowCount => Offsets.Length - 1;
    public int ColumnCount { get; }
    public long NonZeros => Columns.LongLength;

    public ReadOnlySpan<int> ColumnsOf(int row) => Columns.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Rows built separately (e.g. in parallel) joined into one matrix.</summary>
    public static SparseRows Concatenate(IReadOnlyList<(int[] Columns, float[] Values)> rows, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var offsets = new int[rows.Count + 1];
        long total = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            total += rows[i].Columns.Length;
            if (total > Array.MaxLength) throw new InvalidOperationException("too many non-zeros for one array");
            offsets[i + 1] = (int)total;
        }
        var columns = new int[total];
        var values = new float[total];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Columns.CopyTo(columns, offsets[i]);
            rows[i].Values.CopyTo(values, offsets[i]);
        }
        return new SparseRows(offsets, columns, values, columnCount);
    }
}

using System.Runtime.InteropServices;

namespace Pipeline.Engine.Models;

/// <summary>
/// Length-prefixed arrays in a model payload. Numeric arrays are written as their raw bytes (little-endian on
/// every platform .NET runs on here), so a 100k-item model loads with a few block copies instead of a loop of
/// reads. Every read checks its length against what is left, so a damaged prefix cannot allocate gigabytes.
/// </summary>
public static class PayloadColumns
{
    public static void WriteInts(BinaryWriter payload, ReadOnlySpan<int> values) => WriteBlock(payload, values);

    public static void WriteFloats(BinaryWriter payload, ReadOnlySpan<float> values) => WriteBlock(payload, values);

    public static void WriteLongs(BinaryWriter payload, ReadOnlySpan<long> values) => WriteBlock(payload, values);

    public static int[] ReadInts(BinaryReader payload, string what) => ReadBlock<int>(payload, what);

    public static float[] ReadFloats(BinaryReader payload, string what) => ReadBlock<float>(payload, what);

    public static long[] ReadLongs(BinaryReader payload, string what) => ReadBlock<long>(payload, what);

    public static void WriteStrings(BinaryWriter payload, IReadOnlyList<string> values)
    {
        payload.Write(values.Count);
        foreach (var value in values) payload.Write(value);
    }

    public static string[] ReadStrings(BinaryReader payload, string what)
    {
        // Each string takes at least its one-byte length prefix.
        var count = ReadCount(payload, what, bytesPerElement: 1);
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = payload.ReadString();
        return values;
    }

    /// <summary>Checks CSR offsets: start at 0, never decrease, end at <paramref name="valueCount"/>.</summary>
    public static void CheckOffsets(int[] offsets, int rowCount, int valueCount, string what)
    {
        if (offsets.Length != rowCount + 1 || offsets[0] != 0 || offsets[^1] != valueCount)
            throw new InvalidModelArtifactException($"{what}: offsets do not cover the {valueCount} values of {rowCount} rows");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1]) throw new InvalidModelArtifactException($"{what}: offsets decrease at row {i - 1}");
    }

    /// <summary>Checks that every index lies in [0, <paramref name="bound"/>).</summary>
    public static void CheckIndexes(ReadOnlySpan<int> indexes, int bound, string what)
    {
        foreach (var index in indexes)
            if ((uint)index >= (uint)bound) throw new InvalidModelArtifactException($"{what}: index {index} outside 0..{bound - 1}");
    }

    private static void WriteBlock<T>(BinaryWriter payload, ReadOnlySpan<T> values) where T : unmanaged
    {
        payload.Write(values.Length);
        payload.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] ReadBlock<T>(BinaryReader payload, string what) where T : unmanaged
    {
        var count = ReadCount(payload, what, Marshal.SizeOf<T>());
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var read = 0;
        while (read < bytes.Length)
        {
            var n = payload.Read(bytes[read..]);
            if (n == 0) throw new InvalidModelArtifactException($"truncated payload: {what} ends early");
            read += n;
        }
        return values;
    }

    private static int ReadCount(BinaryReader payload, string what, int bytesPerElement)
    {
        var count = payload.ReadInt32();
        var stream = payload.BaseStream;
        var left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (count < 0 || (long)count * bytesPerElement > left)
            throw new InvalidModelArtifactException($"corrupted payload: {what} claims {count} elements");
        return count;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Engine.Models;

/// <summary>
/// Length-prefixed primitive arrays written as raw little-endian bytes, so a 100k-item model's arrays load as a
/// few block copies instead of millions of ReadInt32 calls.
/// </summary>
public static class BinaryArrays
{
    public static void Write<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static T[] Read<T>(BinaryReader reader, long maxLength = int.MaxValue) where T : unmanaged
    {
        var length = reader.ReadInt32();
        if (length < 0 || length > maxLength) throw new InvalidModelArtifactException($"corrupted payload: array length {length}");
        // A damaged length must not allocate more than the payload holds (the payload is streamed, not in memory).
        var stream = reader.BaseStream;
        if (stream.CanSeek && (long)length * Unsafe.SizeOf<T>() > stream.Length - stream.Position)
            throw new InvalidModelArtifactException($"corrupted payload: array length {length} exceeds the payload");
        var values = GC.AllocateUninitializedArray<T>(length);
        // Straight from the stream into the array (BinaryReader buffers nothing ahead of raw bytes).
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    public static string[] ReadStrings(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0) throw new InvalidModelArtifactException($"corrupted payload: string count {length}");
        var values = new string[length];
        for (var i = 0; i < length; i++) values[i] = reader.ReadString();
        return values;
    }
}

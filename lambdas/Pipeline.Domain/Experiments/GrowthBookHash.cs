using System.Globalization;

namespace Pipeline.Domain.Experiments;

/// <summary>
/// GrowthBook's deterministic hash: FNV-1a 32-bit mapped onto [0, 1).
/// Like GrowthBook's reference JavaScript SDK (<c>str.charCodeAt(i)</c>) and its C# SDK, the hash
/// runs over UTF-16 code units, not UTF-8 bytes, so non-ASCII ids land in the same bucket as in
/// those SDKs. Concatenations are hashed incrementally, so no call allocates.
/// </summary>
public static class GrowthBookHash
{
    public const uint OffsetBasis = 0x811c9dc5;
    public const uint Prime = 0x01000193;

    /// <summary>
    /// Version 1 (original, biased): <c>(fnv1a32(value + seed) % 1000) / 1000</c>.
    /// Version 2 (unbiased): <c>(fnv1a32(decimal(fnv1a32(seed + value))) % 10000) / 10000</c>.
    /// Any other version: <see langword="null"/>.
    /// </summary>
    public static double? Hash(string seed, string value, int version)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(value);
        return Hash(seed.AsSpan(), value.AsSpan(), version);
    }

    /// <inheritdoc cref="Hash(string, string, int)"/>
    public static double? Hash(ReadOnlySpan<char> seed, ReadOnlySpan<char> value, int version) => version switch
    {
        1 => Fnv1a32(seed, Fnv1a32(value)) % 1000 / 1000d,
        2 => HashOfDecimal(Fnv1a32(value, Fnv1a32(seed))) % 10000 / 10000d,
        _ => null,
    };

    /// <summary>FNV-1a 32-bit over UTF-16 code units, continuing from <paramref name="state"/>
    /// (pass the hash of a prefix to hash a concatenation without building it).</summary>
    public static uint Fnv1a32(ReadOnlySpan<char> text, uint state = OffsetBasis)
    {
        foreach (var c in text)
        {
            state ^= c;
            state *= Prime;
        }

        return state;
    }

    private static uint HashOfDecimal(uint value)
    {
        Span<char> digits = stackalloc char[10]; // uint.MaxValue has 10 digits
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return Fnv1a32(digits[..written]);
    }
}

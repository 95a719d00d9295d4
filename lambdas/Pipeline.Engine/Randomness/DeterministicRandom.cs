namespace Pipeline.Engine.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Written out here rather than using System.Random so that
/// generated data and holdout splits stay byte-identical whatever the runtime does to its own generator.
/// A struct so hot loops keep it in registers; copy it deliberately, never by accident.
/// </summary>
public struct DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DeterministicRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>An independent stream for one purpose (e.g. one user), so parts can be generated in any order.</summary>
    public static DeterministicRandom ForStream(int seed, ulong stream, ulong substream = 0)
    {
        var mixed = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix(stream + 0x632BE59BD9B4E019UL) ^ Mix(substream * 0xD1B54A32D192ED03UL + 1);
        return new DeterministicRandom(mixed);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        var product = (UInt128)NextUInt64() * (ulong)maxExclusive;
        return (int)(ulong)(product >> 64);
    }

    public int NextInt(int minInclusive, int maxExclusive) => minInclusive + NextInt(maxExclusive - minInclusive);

    public bool NextBool(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by Box-Muller (one value per call; simplicity beats the saved draw here).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Number of failures before the first success, mean (1-p)/p.</summary>
    public int NextGeometric(double successProbability) =>
        (int)Math.Floor(Math.Log(1.0 - NextDouble()) / Math.Log(1.0 - successProbability));

    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

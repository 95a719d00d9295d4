namespace Pipeline.Domain.Experiments;

/// <summary>GrowthBook's mapping from weights and coverage to slices of the hash space.</summary>
public static class BucketRanges
{
    /// <summary>
    /// One range per variation: variation i starts at the sum of the weights before it and covers
    /// <c>coverage * weight</c>. Coverage is clamped to [0, 1]; weights that are missing, of the wrong
    /// length, or that do not sum to 1 (within 0.99–1.01) are replaced by equal weights.
    /// </summary>
    public static BucketRange[] GetBucketRanges(int numVariations, double coverage = 1, IReadOnlyList<double>? weights = null)
    {
        if (numVariations <= 0)
        {
            return [];
        }

        var given = weights is null ? [] : weights.ToArray();
        var ranges = new BucketRange[numVariations];
        GetBucketRanges(coverage, given, ranges);
        return ranges;
    }

    /// <summary>
    /// Allocation-free form of <see cref="GetBucketRanges(int, double, IReadOnlyList{double})"/>:
    /// writes one range per element of <paramref name="destination"/> (its length is the number of variations).
    /// </summary>
    public static void GetBucketRanges(double coverage, ReadOnlySpan<double> weights, Span<BucketRange> destination)
    {
        var n = destination.Length;
        coverage = coverage < 0 ? 0 : coverage > 1 ? 1 : coverage;
        var useGiven = weights.Length == n && SumsToAboutOne(weights);
        var equal = n > 0 ? 1d / n : 0d;

        var cumulative = 0d;
        for (var i = 0; i < n; i++)
        {
            var weight = useGiven ? weights[i] : equal;
            var start = cumulative;
            cumulative += weight;
            destination[i] = new BucketRange(start, start + (coverage * weight));
        }
    }

    /// <summary><paramref name="n"/> weights of <c>1 / n</c>; empty when <paramref name="n"/> ≤ 0.</summary>
    public static double[] GetEqualWeights(int n)
    {
        if (n <= 0)
        {
            return [];
        }

        var weights = new double[n];
        Array.Fill(weights, 1d / n);
        return weights;
    }

    /// <summary>Index of the first range containing <paramref name="n"/>, or -1 when none does.</summary>
    public static int ChooseVariation(double n, ReadOnlySpan<BucketRange> ranges)
    {
        for (var i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Contains(n))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the user's version-1 hash with seed <c>"__" + namespace id</c> falls in the namespace's slice.</summary>
    public static bool InNamespace(string userId, ExperimentNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(ns);

        Span<char> small = stackalloc char[64];
        var seedLength = ns.Id.Length + 2;
        var seed = seedLength <= small.Length ? small[..seedLength] : new char[seedLength];
        seed[0] = '_';
        seed[1] = '_';
        ns.Id.AsSpan().CopyTo(seed[2..]);

        var n = GrowthBookHash.Hash(seed, userId, 1);
        return n is { } h && h >= ns.Start && h < ns.End;
    }

    private static bool SumsToAboutOne(ReadOnlySpan<double> weights)
    {
        var total = 0d;
        foreach (var w in weights)
        {
            total += w;
        }

        return !(total < 0.99 || total > 1.01);
    }
}

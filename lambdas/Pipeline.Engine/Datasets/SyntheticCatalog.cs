using Pipeline.Engine.Randomness;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// The items of a synthetic dataset and the distributions users draw them from: a Zipf popularity over a
/// shuffled rank order (so item_00001 is not the best seller) and, per category, the same weights restricted
/// to that category, as cumulative arrays searched with binary search.
/// </summary>
internal sealed class SyntheticCatalog
{
    // Exponent 1.0 is the classic Zipf law of retail and media catalogues: the top 10% of items take most views.
    private const double ZipfExponent = 1.0;

    private static readonly (string Name, int MedianPriceCents)[] CategoryTable =
    [
        ("electronics", 14900), ("books", 1499), ("home", 3999), ("toys", 2499), ("sports", 4999),
        ("beauty", 1999), ("grocery", 699), ("fashion", 3499), ("garden", 2999), ("automotive", 5999),
        ("music", 1299), ("movies", 1599), ("games", 4999), ("health", 1799), ("pets", 2299),
        ("office", 1199), ("baby", 2799), ("jewelry", 8999), ("tools", 3999), ("outdoors", 6999),
    ];

    public int ItemCount { get; }
    public int CategoryCount { get; }
    public int[] CategoryOf { get; }
    public long[] PriceCents { get; }
    public long[] CreatedAt { get; }
    public byte[][] ItemIdBytes { get; }

    private readonly int[] _itemByRank;
    private readonly double[] _globalCumulative;
    // Category c's items are _categoryItems[_categoryStart[c].._categoryStart[c+1]], most popular first.
    private readonly int[] _categoryStart;
    private readonly int[] _categoryItems;
    private readonly double[] _categoryCumulative;

    public SyntheticCatalog(int itemCount, int seed, long createdBefore)
    {
        ItemCount = itemCount;
        CategoryCount = Math.Clamp(itemCount / 50, 1, CategoryTable.Length);
        var rng = DeterministicRandom.ForStream(seed, stream: 1);

        CategoryOf = new int[itemCount];
        PriceCents = new long[itemCount];
        CreatedAt = new long[itemCount];
        ItemIdBytes = new byte[itemCount][];
        var idWidth = IdFormat.Width(itemCount);
        for (var i = 0; i < itemCount; i++)
        {
            // The first items seed every category so none is empty; the rest fall where chance puts them.
            var category = i < CategoryCount ? i : rng.NextInt(CategoryCount);
            CategoryOf[i] = category;
            var median = CategoryTable[category].MedianPriceCents;
            PriceCents[i] = Math.Max(99, (long)Math.Round(median * Math.Exp(0.6 * rng.NextGaussian())));
            CreatedAt[i] = createdBefore - 1 - (long)(rng.NextDouble() * 365 * 86400);
            ItemIdBytes[i] = IdFormat.Utf8("item_", i + 1, idWidth);
        }

        _itemByRank = new int[itemCount];
        for (var i = 0; i < itemCount; i++) _itemByRank[i] = i;
        rng.Shuffle(_itemByRank.AsSpan());

        var weightByRank = new double[itemCount];
        _globalCumulative = new double[itemCount];
        var total = 0.0;
        for (var r = 0; r < itemCount; r++)
        {
            weightByRank[r] = 1.0 / Math.Pow(r + 1, ZipfExponent);
            total += weightByRank[r];
            _globalCumulative[r] = total;
        }

        _categoryStart = new int[CategoryCount + 1];
        foreach (var c in CategoryOf) _categoryStart[c + 1]++;
        for (var c = 0; c < CategoryCount; c++) _categoryStart[c + 1] += _categoryStart[c];
        _categoryItems = new int[itemCount];
        _categoryCumulative = new double[itemCount];
        var fill = _categoryStart[..^1];
        var rankOfItem = new int[itemCount];
        for (var r = 0; r < itemCount; r++) rankOfItem[_itemByRank[r]] = r;
        // Walking ranks in order leaves each category's slice sorted by popularity.
        for (var r = 0; r < itemCount; r++)
        {
            var item = _itemByRank[r];
            _categoryItems[fill[CategoryOf[item]]++] = item;
        }
        for (var c = 0; c < CategoryCount; c++)
        {
            var running = 0.0;
            for (var k = _categoryStart[c]; k < _categoryStart[c + 1]; k++)
            {
                running += weightByRank[rankOfItem[_categoryItems[k]]];
                _categoryCumulative[k] = running;
            }
        }
    }

    public static string CategoryName(int category) => CategoryTable[category].Name;

    /// <summary>An item drawn by global popularity.</summary>
    public int DrawAny(ref DeterministicRandom rng) =>
        _itemByRank[SearchCumulative(_globalCumulative, 0, ItemCount, rng.NextDouble() * _globalCumulative[^1])];

    /// <summary>An item of one category, drawn by popularity within it.</summary>
    public int DrawFromCategory(int category, ref DeterministicRandom rng)
    {
        var start = _categoryStart[category];
        var end = _categoryStart[category + 1];
        var target = rng.NextDouble() * _categoryCumulative[end - 1];
        return _categoryItems[SearchCumulative(_categoryCumulative, start, end, target)];
    }

    /// <summary>First index in [start, end) whose cumulative weight exceeds target.</summary>
    private static int SearchCumulative(double[] cumulative, int start, int end, double target)
    {
        int lo = start, hi = end - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}

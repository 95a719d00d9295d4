using System.Runtime.CompilerServices;
using Pipeline.Domain.Catalog;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-user-personalization's use of the items dataset's CATEGORY: a user's weighted history share of each
/// category times each item's share of its category's training popularity. Added to EASE's scores with the
/// <c>category_weight</c> hyperparameter it smooths item-to-item evidence with category taste, which helps most
/// where a user's history is short. Items without a category get nothing from it.
/// </summary>
public sealed class CategoryAffinity
{
    public CategoryAffinity(int[] itemCategory, float[] shareOfCategory, int categoryCount)
    {
        if (itemCategory.Length != shareOfCategory.Length) throw new ArgumentException("categories and shares must describe the same items");
        ItemCategory = itemCategory;
        ShareOfCategory = shareOfCategory;
        CategoryCount = categoryCount;
        foreach (var c in itemCategory)
            if (c < -1 || c >= categoryCount) throw new ArgumentException("item category out of range", nameof(itemCategory));
    }

    /// <summary>Per model item, the index of its category, or -1.</summary>
    public int[] ItemCategory { get; }

    /// <summary>Per model item, its training popularity over its category's.</summary>
    public float[] ShareOfCategory { get; }

    public int CategoryCount { get; }

    /// <summary>Null when no item of the model has a category: there is nothing to blend.</summary>
    public static CategoryAffinity? From(string[] itemIds, int[] popularity, IReadOnlyList<Item>? items)
    {
        if (items is null) return null;
        var categoryOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
            if (item.Category is { Length: > 0 } c) categoryOfId[item.ItemId] = c;
        if (categoryOfId.Count == 0) return null;
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemCategory = new int[itemIds.Length];
        for (var i = 0; i < itemIds.Length; i++)
            itemCategory[i] = categoryOfId.TryGetValue(itemIds[i], out var name)
                ? (indexOf.TryGetValue(name, out var index) ? index : indexOf[name] = indexOf.Count)
                : -1;
        if (indexOf.Count == 0) return null;
        var totals = new double[indexOf.Count];
        for (var i = 0; i < itemIds.Length; i++) if (itemCategory[i] >= 0) totals[itemCategory[i]] += popularity[i];
        var share = new float[itemIds.Length];
        for (var i = 0; i < itemIds.Length; i++)
            if (itemCategory[i] >= 0 && totals[itemCategory[i]] > 0) share[i] = (float)(popularity[i] / totals[itemCategory[i]]);
        return new CategoryAffinity(itemCategory, share, indexOf.Count);
    }

    /// <summary>
    /// Adds weight × (the history's weight in the item's category) × (the item's share of it) to every score.
    /// <paramref name="counts"/> is scratch of at least <see cref="CategoryCount"/> floats; nothing is allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(ReadOnlySpan<int> history, ReadOnlySpan<float> historyWeights, float weight, Span<float> scores, Span<float> counts)
    {
        counts = counts[..CategoryCount];
        counts.Clear();
        for (var k = 0; k < history.Length; k++)
        {
            var c = ItemCategory[history[k]];
            if (c >= 0) counts[c] += historyWeights.IsEmpty ? 1f : historyWeights[k];
        }
        for (var c = 0; c < counts.Length; c++) counts[c] *= weight;
        var categories = ItemCategory;
        var shares = ShareOfCategory;
        for (var j = 0; j < categories.Length; j++)
        {
            var c = categories[j];
            if (c >= 0) scores[j] += counts[c] * shares[j];
        }
    }
}

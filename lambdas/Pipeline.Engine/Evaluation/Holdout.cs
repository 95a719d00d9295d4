using Pipeline.Engine.Datasets;
using Pipeline.Engine.Randomness;

namespace Pipeline.Engine.Evaluation;

/// <summary>Splits interactions into training rows and test targets; the same seed gives the same split.</summary>
public static class Holdout
{
    public const double DefaultFraction = 0.1;

    public static HoldoutSplit Split(InteractionDataset dataset, HoldoutStrategy strategy, int seed = 42, double fraction = DefaultFraction)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), "fraction must be between 0 and 1 (exclusive)");
        var byUser = dataset.GroupByUser();
        var rng = DeterministicRandom.ForStream(seed, stream: 101, substream: (ulong)strategy);

        var testUsers = ChooseTestUsers(byUser, strategy, fraction, ref rng);
        var isTarget = new bool[dataset.Count];
        var items = dataset.ItemIndex;
        var holdoutUsers = new List<HoldoutUser>(testUsers.Count);
        foreach (var user in testUsers)
        {
            var rows = byUser.RowsOf(user);
            // At least one target row and at least one input row, whatever the rounding.
            var targetCount = Math.Clamp((int)Math.Round(rows.Length * fraction, MidpointRounding.AwayFromZero), 1, rows.Length - 1);
            Span<int> chosen = strategy == HoldoutStrategy.Random
                ? RandomRows(rows, targetCount, ref rng)
                : rows[^targetCount..].ToArray();
            var targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in chosen)
            {
                isTarget[row] = true;
                targets.Add(dataset.ItemIds[items[row]]);
            }
            holdoutUsers.Add(new HoldoutUser(dataset.UserIds[user], targets));
        }

        var trainingRows = new List<int>(dataset.Count);
        for (var row = 0; row < dataset.Count; row++)
            if (!isTarget[row]) trainingRows.Add(row);
        return new HoldoutSplit(dataset.Subset(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(trainingRows)), holdoutUsers, dataset.ItemIds.Count);
    }

    /// <summary>Users with at least two interactions can be tested (one input, one target); Personalize then samples 10% of them.</summary>
    private static List<int> ChooseTestUsers(UserInteractionIndex byUser, HoldoutStrategy strategy, double fraction, ref DeterministicRandom rng)
    {
        var eligible = new List<int>();
        for (var user = 0; user < byUser.UserCount; user++)
            if (byUser.RowsOf(user).Length >= 2) eligible.Add(user);
        if (strategy != HoldoutStrategy.Personalize) return eligible;

        var shuffled = eligible.ToArray();
        rng.Shuffle(shuffled.AsSpan());
        var take = Math.Max(1, (int)Math.Round(shuffled.Length * fraction, MidpointRounding.AwayFromZero));
        var chosen = shuffled.Take(Math.Min(take, shuffled.Length)).ToList();
        chosen.Sort();
        return chosen;
    }

    private static int[] RandomRows(ReadOnlySpan<int> rows, int count, ref DeterministicRandom rng)
    {
        var copy = rows.ToArray();
        // Partial Fisher-Yates: the first `count` positions become a uniform sample without replacement.
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.NextInt(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..count];
    }
}

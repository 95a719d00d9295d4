using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Restricts a split's targets to items the test user has not interacted with in the training rows. Binary
/// implicit-feedback models exclude the user's history from recommendations, so a repeat of an item already seen
/// (on generated data, the click and purchase that follow a view) is a target they cannot hit by design, while
/// popularity can; this protocol (as in the EASE paper's) scores the ability to find new items. Users left without
/// targets are dropped.
/// </summary>
public static class NewItemTargets
{
    public static HoldoutSplit Apply(HoldoutSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var training = split.Training;
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var user in split.TestUsers) seen[user.UserId] = new HashSet<string>(StringComparer.Ordinal);
        var users = training.UserIndex;
        var items = training.ItemIndex;
        for (var row = 0; row < training.Count; row++)
            if (seen.TryGetValue(training.UserIds[users[row]], out var set)) set.Add(training.ItemIds[items[row]]);
        var kept = new List<HoldoutUser>(split.TestUsers.Count);
        foreach (var user in split.TestUsers)
        {
            var targets = user.TargetItemIds.Where(t => !seen[user.UserId].Contains(t)).ToHashSet(StringComparer.Ordinal);
            if (targets.Count > 0) kept.Add(new HoldoutUser(user.UserId, targets));
        }
        return split with { TestUsers = kept };
    }
}

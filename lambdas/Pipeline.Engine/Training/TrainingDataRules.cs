using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Training;

/// <summary>
/// What Personalize does to the interactions before any recipe trains: keep only the solution's event type and
/// the events at or above its value threshold, then refuse to train on too little data.
/// <para>
/// Every recipe gets the same rules by training through <see cref="Apply(TrainingData, SolutionDataConfig)"/>
/// first, or, more simply, through a recipe wrapped by <see cref="RecipeTrainingDataRules.WithTrainingDataRules"/>
/// (reads <c>eventType</c>/<c>eventValueThreshold</c> from the hyperparameters). The local Personalize service
/// catches <see cref="TrainingDataException"/> and reports its message as the failureReason.
/// </para>
/// </summary>
public static class TrainingDataRules
{
    /// <summary>Personalize's minimum number of interactions after event type and value filtering.</summary>
    public const int MinimumInteractions = 1000;

    /// <summary>Personalize's minimum number of users with at least <see cref="MinimumInteractionsPerUser"/> interactions.</summary>
    public const int MinimumUsers = 25;

    public const int MinimumInteractionsPerUser = 2;

    /// <summary>The filtered data, checked against the minimums; throws <see cref="TrainingDataException"/> when short.</summary>
    public static TrainingData Apply(TrainingData data, SolutionDataConfig config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        var interactions = Filter(data.Interactions, config);
        EnsureMinimums(interactions, config);
        return ReferenceEquals(interactions, data.Interactions) ? data : data with { Interactions = interactions };
    }

    /// <summary>The rows of the event type with a value at or above the threshold (a row without a value never passes a threshold).</summary>
    public static InteractionDataset Filter(InteractionDataset interactions, SolutionDataConfig config)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(config);
        if (config.EventType is null && config.EventValueThreshold is null) return interactions;

        var code = config.EventType is null ? -1 : interactions.EventTypeCode(config.EventType);
        if (config.EventType is not null && code < 0) return interactions.Subset([]);
        var codes = interactions.EventTypeCodes;
        var values = interactions.EventValues;
        var threshold = config.EventValueThreshold;
        var kept = new List<int>(interactions.Count);
        for (var row = 0; row < interactions.Count; row++)
        {
            if (code >= 0 && codes[row] != code) continue;
            // NaN (no EVENT_VALUE) compares false, so valueless rows drop out once a threshold is set.
            if (threshold is { } minimum && !(values[row] >= minimum)) continue;
            kept.Add(row);
        }
        return kept.Count == interactions.Count ? interactions : interactions.Subset(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept));
    }

    /// <summary>Throws <see cref="TrainingDataException"/> with Personalize's message when a minimum is not met.</summary>
    public static void EnsureMinimums(InteractionDataset interactions, SolutionDataConfig config)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(config);
        if (interactions.Count < MinimumInteractions)
        {
            // Personalize's wording names the event type it filtered by; without one there is nothing to name.
            throw new TrainingDataException(config.EventType is null
                ? $"Dataset has fewer than {MinimumInteractions} interactions."
                : $"Dataset has fewer than {MinimumInteractions} interactions after filtering by event type: {config.EventType}");
        }
        if (CountUsersWithAtLeast(interactions, MinimumInteractionsPerUser) < MinimumUsers)
            throw new TrainingDataException($"Create failed. Dataset has fewer than {MinimumUsers} users with at least {MinimumInteractionsPerUser} interactions each.");
    }

    private static int CountUsersWithAtLeast(InteractionDataset interactions, int minimum)
    {
        var perUser = new int[interactions.UserIds.Count];
        var qualified = 0;
        foreach (var user in interactions.UserIndex)
            if (++perUser[user] == minimum) qualified++;
        return qualified;
    }
}

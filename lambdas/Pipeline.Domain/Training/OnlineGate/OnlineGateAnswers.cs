namespace Pipeline.Domain.Training.OnlineGate;

/// <summary>
/// What an online-gate action answers: its result, or the error name and why when it could not act (the workflow
/// fails the run in the gate's state on an error).
/// </summary>
public sealed record OnlineGateAnswer<T>(T? Result, string? Error = null, string? Reason = null) where T : class
{
    public static implicit operator OnlineGateAnswer<T>(T result) => new(result);

    public static OnlineGateAnswer<T> Failure(string error, string reason) => new(null, error, reason);
}

/// <summary>How one of the run's recipes ended (the training machine's per-recipe result).</summary>
public sealed record RecipeOutcome(string? Recipe, string? Status, string? CampaignArn);

/// <summary>
/// The enter action's result: ENTERED (the challenger, the control, the campaign it serves and the experiment's new phase)
/// or SKIPPED (the offline gate did not promote the recipe). <paramref name="Settings"/> name the recipe chosen.
/// </summary>
public sealed record ChallengerEntry(string Status, string Reason, OnlineGateSettings Settings,
    string? Challenger = null, string? Control = null, string? Campaign = null, int? Phase = null);

/// <summary>The decide action's result: the rule's decision on the metric it was made on.</summary>
public sealed record ChallengerVerdict(OnlineGateDecision Decision, string Metric);

/// <summary>
/// The promote or rollback action's result: PROMOTED or ROLLED_BACK, the control variant and the recipe and campaign it
/// serves now, the experiment's new phase.
/// </summary>
public sealed record ChallengerExit(string Status, string Reason, string Control, string Recipe, string? Campaign, int Phase);

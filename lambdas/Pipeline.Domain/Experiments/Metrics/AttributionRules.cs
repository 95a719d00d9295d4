using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// When an interaction counts for an experiment. A click or purchase carrying a recommendation_id is
/// credited to the variant of that recommendation's exposure when all of these hold:
/// the event's user is the exposure's user (a shared or forwarded link does not count);
/// the event happened within <see cref="Window"/> after the exposure (not before it);
/// the exposure belongs to the user's current phase of the experiment.
/// The credit goes to the variant the user was first exposed to in the phase (intention to treat).
/// Views and events without a recommendation_id are not attributed; they only count as pre-exposure
/// activity (the CUPED covariate) when they come before the user's first exposure.
/// </summary>
public static class AttributionRules
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public static bool IsAttributable(InteractionEvent interaction, Exposure exposure, ExperimentUserState? state) =>
        state is not null
        && interaction.EventType is EventTypes.Click or EventTypes.Purchase
        && interaction.UserId == exposure.UserId
        && interaction.Timestamp >= exposure.Timestamp
        && interaction.Timestamp - exposure.Timestamp <= Window
        && exposure.Timestamp >= state.FirstExposedAt;
}

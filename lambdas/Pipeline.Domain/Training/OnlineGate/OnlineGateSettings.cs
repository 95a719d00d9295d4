using Pipeline.Domain.Experiments;

namespace Pipeline.Domain.Training.OnlineGate;

/// <summary>
/// The training input's <c>online_gate</c>: the recipe whose new model enters the experiment as a challenger, its share of
/// the traffic, the evidence needed to promote it and how long to wait for it.
/// </summary>
/// <param name="Recipe">The recipe of the run whose new model is the challenger (default: the run's first recipe).</param>
/// <param name="Weight">The challenger's share of the experiment's traffic, in (0, 0.5]; the other variants are scaled by 1 − weight.</param>
/// <param name="MinUsers">Exposed users the challenger needs before it can be promoted.</param>
/// <param name="MaxDays">How long the gate waits for evidence (workflow time: polls × poll_seconds); then the control is kept.</param>
/// <param name="Metric">The experiment metric decided on (one of <see cref="ExperimentMetrics.All"/>).</param>
/// <param name="Guardrails">Guardrails whose significant harm rolls the challenger back (a subset of <see cref="GuardrailMetrics.All"/>).</param>
/// <param name="PollSeconds">The Wait between two decisions.</param>
public sealed record OnlineGateSettings(
    string? Recipe,
    double Weight,
    long MinUsers,
    double MaxDays,
    string Metric,
    IReadOnlyList<string> Guardrails,
    int PollSeconds)
{
    public const double DefaultWeight = 0.1;
    public const long DefaultMinUsers = 1000;
    public const double DefaultMaxDays = 14;
    public const int DefaultPollSeconds = 3600;

    /// <summary>The longest <see cref="MaxDays"/> accepted: the training machine's timeout leaves room for this many days.</summary>
    public const double MaximumMaxDays = 30;

    public static IReadOnlyList<string> DefaultGuardrails { get; } = [GuardrailMetrics.FallbackRate];
}

using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// A served list on the events queue: the exposure, the phase it was assigned in, the request's latency and the bandit
/// period whose weights bucketed the user (0 for a fixed split, and for messages written before periods were stamped).
/// </summary>
public sealed record ExposureMessage(Exposure Exposure, int Phase, double LatencyMs, int Period = 0);

using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>A served list on the events queue: the exposure, the phase it was assigned in and the request's latency.</summary>
public sealed record ExposureMessage(Exposure Exposure, int Phase, double LatencyMs);

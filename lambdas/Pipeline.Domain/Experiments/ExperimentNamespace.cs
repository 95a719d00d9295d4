namespace Pipeline.Domain.Experiments;

/// <summary>
/// A GrowthBook namespace: experiments sharing <paramref name="Id"/> with disjoint
/// [<paramref name="Start"/>, <paramref name="End"/>) slices never share a user.
/// </summary>
public sealed record ExperimentNamespace(string Id, double Start, double End);

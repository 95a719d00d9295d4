namespace Pipeline.Cli.Experiments;

/// <summary>An analysis request that cannot be read: a missing or malformed field, an unknown kind.</summary>
public sealed class AnalysisInputException(string message, Exception? inner = null) : Exception(message, inner);

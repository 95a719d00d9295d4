namespace Pipeline.Api;

/// <summary>
/// Configuration the API refuses to start with. Entry points print its message as one line and exit non-zero,
/// rather than start with a protection silently missing.
/// </summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);

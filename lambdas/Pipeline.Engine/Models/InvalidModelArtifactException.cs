namespace Pipeline.Engine.Models;

/// <summary>A file that is not a model artifact this build can read: wrong magic, unsupported version, unknown recipe, truncated or corrupted.</summary>
public sealed class InvalidModelArtifactException(string message, Exception? inner = null) : Exception(message, inner);

namespace Pipeline.Engine.Training;

/// <summary>
/// The interactions are not enough to train on. The message is Personalize's own wording, so the local
/// Personalize service can put it unchanged into the solution version's failureReason (status CREATE FAILED).
/// </summary>
public sealed class TrainingDataException(string message) : Exception(message);

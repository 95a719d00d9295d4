namespace Pipeline.Engine.InHouse;

/// <summary>
/// What the in-house trainer answers: <see cref="Status"/> TRAINED, SKIPPED or FAILED; the <see cref="Version"/> it wrote
/// (or was writing) and the recipes whose models it wrote; a <see cref="Reason"/> for people; <see cref="Error"/> null
/// unless it could not train.
/// </summary>
public sealed record InHouseTrainingResult(string Status, string? Version, IReadOnlyList<string> Models, string? Reason, string? Error)
{
    public const string Trained = "TRAINED";
    public const string Skipped = "SKIPPED";
    public const string Failed = "FAILED";

    public static InHouseTrainingResult Failure(string? reason, string error, string? version = null, IReadOnlyList<string>? models = null) =>
        new(Failed, version, models ?? [], reason, error);
}

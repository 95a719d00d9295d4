using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Models;

/// <summary>
/// Writes and reads one recipe's trained state inside a <see cref="ModelArtifact"/>. The recipe's
/// hyperparameters travel in the artifact header (readable without the payload), so the payload holds only
/// what training learned.
/// </summary>
public interface IModelPayloadSerializer
{
    string Recipe { get; }

    IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model);

    void Write(BinaryWriter payload, IRecommendationModel model);

    IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters);

    /// <summary>
    /// Reads a payload written under the artifact's <paramref name="formatVersion"/> (<see cref="ModelArtifact.FormatVersion"/>
    /// or an older one it still reads); recipes whose payload did not change between versions keep the default.
    /// </summary>
    IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters, ushort formatVersion) =>
        Read(payload, parameters);
}

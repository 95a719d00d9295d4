using System.Security.Cryptography;
using System.Text;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Models;

/// <summary>
/// A trained model as a file. Layout (little-endian; strings are BinaryWriter's length-prefixed UTF-8):
/// <code>
/// magic "PIPEMODL" (8 bytes) | format version (uint16) | recipe | parameter count (int32), then key, value each
/// | training data fingerprint | trained at (int64 unix ms) | payload length (int64) | payload | SHA-256 of payload (32 bytes)
/// </code>
/// Everything before the payload is readable without knowing the recipe; the payload belongs to the recipe's
/// <see cref="IModelPayloadSerializer"/>, so new recipes add a serializer, not a new format.
/// </summary>
public sealed record ModelArtifact(
    IRecommendationModel Model,
    IReadOnlyDictionary<string, string> Parameters,
    string TrainingDataFingerprint,
    DateTimeOffset TrainedAt)
{
    public const ushort FormatVersion = 1;

    public static ReadOnlySpan<byte> Magic => "PIPEMODL"u8;

    public string Recipe => Model.Recipe;

    /// <summary>An artifact whose parameters are the ones the recipe's serializer reports for the model.</summary>
    public static ModelArtifact Create(IRecommendationModel model, string trainingDataFingerprint, DateTimeOffset trainedAt, ModelPayloadSerializers? serializers = null) =>
        new(model, (serializers ?? ModelPayloadSerializers.Default).For(model.Recipe).Parameters(model), trainingDataFingerprint, trainedAt);

    public void Save(string path, ModelPayloadSerializers? serializers = null)
    {
        // Written beside the target and moved into place, so a reader never sees half a model.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                Save(stream, serializers);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public void Save(Stream stream, ModelPayloadSerializers? serializers = null)
    {
        var serializer = (serializers ?? ModelPayloadSerializers.Default).For(Model.Recipe);
        using var payload = new MemoryStream();
        using (var payloadWriter = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
            serializer.Write(payloadWriter, Model);

        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Model.Recipe);
        writer.Write(Parameters.Count);
        foreach (var (key, value) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.Write(key);
            writer.Write(value);
        }
        writer.Write(TrainingDataFingerprint);
        writer.Write(TrainedAt.ToUnixTimeMilliseconds());
        writer.Write(payload.Length);
        writer.Write(payload.GetBuffer(), 0, (int)payload.Length);
        writer.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
        writer.Flush();
    }

    public static ModelArtifact Load(string path, ModelPayloadSerializers? serializers = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Load(stream, serializers);
        }
        catch (InvalidModelArtifactException e)
        {
            throw new InvalidModelArtifactException($"{path}: {e.Message}", e);
        }
    }

    public static ModelArtifact Load(Stream stream, ModelPayloadSerializers? serializers = null)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            Span<byte> magic = stackalloc byte[Magic.Length];
            if (reader.Read(magic) != magic.Length || !magic.SequenceEqual(Magic))
                throw new InvalidModelArtifactException("not a Pipeline model artifact (bad magic bytes)");
            var version = reader.ReadUInt16();
            if (version != FormatVersion)
                throw new InvalidModelArtifactException($"unsupported model artifact format version {version}; this build reads version {FormatVersion}");
            var recipe = reader.ReadString();
            var serializer = (serializers ?? ModelPayloadSerializers.Default).For(recipe);
            var parameterCount = reader.ReadInt32();
            if (parameterCount is < 0 or > 10_000)
                throw new InvalidModelArtifactException($"corrupted header: {parameterCount} parameters");
            var parameters = new Dictionary<string, string>(parameterCount, StringComparer.Ordinal);
            for (var i = 0; i < parameterCount; i++) parameters[reader.ReadString()] = reader.ReadString();
            var fingerprint = reader.ReadString();
            var trainedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
            var payloadLength = reader.ReadInt64();
            if (payloadLength is < 0 or > int.MaxValue)
                throw new InvalidModelArtifactException($"corrupted header: payload length {payloadLength}");
            var payload = reader.ReadBytes((int)payloadLength);
            var expectedHash = reader.ReadBytes(32);
            if (payload.Length != payloadLength || expectedHash.Length != 32)
                throw new InvalidModelArtifactException("truncated: the file ends before the payload does");
            if (!SHA256.HashData(payload).AsSpan().SequenceEqual(expectedHash))
                throw new InvalidModelArtifactException("corrupted: the payload does not match its SHA-256");
            using var payloadReader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            var model = serializer.Read(payloadReader, parameters);
            return new ModelArtifact(model, parameters, fingerprint, trainedAt);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidModelArtifactException("truncated: the file ends inside the header", e);
        }
        catch (FormatException e)
        {
            // A damaged length prefix makes BinaryReader.ReadString fail this way.
            throw new InvalidModelArtifactException($"corrupted header: {e.Message}", e);
        }
    }
}

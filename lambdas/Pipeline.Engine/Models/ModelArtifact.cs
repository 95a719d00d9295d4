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
/// <see cref="IModelPayloadSerializer"/>, so new recipes add a serializer, not a new format. The framing is the same
/// in every version; the version tells a serializer which payload layout it reads (version 2: the graph filter's
/// spectral part as one int8 V, see <see cref="Recipes.UserPersonalizationSerializer"/>; version 1 artifacts still
/// load). Loading streams the payload: the recipe reads its arrays straight from the file while the SHA-256 is
/// computed on the way (<see cref="HashedPayloadStream"/>), and the model is returned only if the hash matches.
/// </summary>
public sealed record ModelArtifact(
    IRecommendationModel Model,
    IReadOnlyDictionary<string, string> Parameters,
    string TrainingDataFingerprint,
    DateTimeOffset TrainedAt)
{
    public const ushort FormatVersion = 2;

    /// <summary>The oldest version this build reads.</summary>
    public const ushort OldestReadableVersion = 1;

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
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
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
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12, FileOptions.SequentialScan);
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
            if (version is < OldestReadableVersion or > FormatVersion)
                throw new InvalidModelArtifactException(
                    $"unsupported model artifact format version {version}; this build reads versions {OldestReadableVersion} to {FormatVersion}");
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
            if (payloadLength < 0)
                throw new InvalidModelArtifactException($"corrupted header: payload length {payloadLength}");
            if (stream.CanSeek && payloadLength + 32 > stream.Length - stream.Position)
                throw new InvalidModelArtifactException("truncated: the file ends before the payload does");
            using var payload = new HashedPayloadStream(stream, payloadLength);
            IRecommendationModel model;
            try
            {
                using var payloadReader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
                model = serializer.Read(payloadReader, parameters, version);
            }
            catch (Exception e) when (e is InvalidModelArtifactException or EndOfStreamException or ArgumentException or FormatException
                                          or OverflowException or IndexOutOfRangeException or DecoderFallbackException)
            {
                // A damaged payload can fail inside the recipe's reader before its hash is known: the hash says which it is.
                if (!HashMatches(payload, reader)) throw new InvalidModelArtifactException("corrupted: the payload does not match its SHA-256", e);
                if (e is EndOfStreamException) throw new InvalidModelArtifactException($"corrupted {recipe} payload: it ends before its last field", e);
                throw;
            }
            if (!HashMatches(payload, reader))
                throw new InvalidModelArtifactException("corrupted: the payload does not match its SHA-256");
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

    private static bool HashMatches(HashedPayloadStream payload, BinaryReader reader)
    {
        var actual = payload.FinishHash();
        Span<byte> expected = stackalloc byte[32];
        try
        {
            reader.BaseStream.ReadExactly(expected);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidModelArtifactException("truncated: the file ends before the payload's SHA-256", e);
        }
        return actual.AsSpan().SequenceEqual(expected);
    }
}

using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Models;

public sealed class ModelArtifactTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static readonly DateTimeOffset TrainedAt = new(2025, 6, 2, 3, 4, 5, TimeSpan.Zero);

    private ModelArtifact Artifact(string? eventType = null) =>
        ModelArtifact.Create(PopularityCount.Train(data.Interactions, new PopularityCountOptions(eventType)), data.Interactions.Fingerprint(), TrainedAt);

    private static byte[] Bytes(ModelArtifact artifact)
    {
        using var stream = new MemoryStream();
        artifact.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task SaveThenLoad_GivesIdenticalRecommendationsAndHeader()
    {
        using var directory = new TempDirectory();
        var path = directory.File("models/popularity.model");
        var saved = Artifact("purchase");
        saved.Save(path);

        var loaded = ModelArtifact.Load(path);

        Assert.Equal("aws-popularity-count", loaded.Recipe);
        Assert.Equal(saved.TrainingDataFingerprint, loaded.TrainingDataFingerprint);
        Assert.StartsWith("sha256:", loaded.TrainingDataFingerprint, StringComparison.Ordinal);
        Assert.Equal(TrainedAt, loaded.TrainedAt);
        Assert.Equal(new Dictionary<string, string> { ["eventType"] = "purchase" }, loaded.Parameters);
        var query = new ModelQuery("user_00001", null, 500);
        Assert.Equal(await saved.Model.RecommendAsync(query), await loaded.Model.RecommendAsync(query));
        Assert.Equal("purchase", Assert.IsType<PopularityCountModel>(loaded.Model).Options.EventType);
    }

    [Fact]
    public void Save_IsDeterministic()
    {
        Assert.Equal(Bytes(Artifact()), Bytes(Artifact()));
    }

    [Fact]
    public void Load_WithWrongMagic_SaysItIsNotAModelArtifact()
    {
        var bytes = Bytes(Artifact());
        bytes[0] = (byte)'X';
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes)));
        Assert.Equal("not a Pipeline model artifact (bad magic bytes)", error.Message);
    }

    [Fact]
    public void Load_WithNewerFormatVersion_SaysWhichVersionsAreReadable()
    {
        var bytes = Bytes(Artifact());
        bytes[ModelArtifact.Magic.Length] = 9;
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes)));
        Assert.Equal("unsupported model artifact format version 9; this build reads versions 1 to 2", error.Message);
    }

    [Fact]
    public void Load_FromPath_NamesTheFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("broken.model");
        File.WriteAllBytes(path, "not a model at all"u8.ToArray());
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(path));
        Assert.StartsWith(path + ": not a Pipeline model artifact", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_SaysItIsTruncated()
    {
        var bytes = Bytes(Artifact());
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.StartsWith("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptedPayload_FailsItsChecksum()
    {
        var bytes = Bytes(Artifact());
        bytes[^40] ^= 0xFF;
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes)));
        Assert.Equal("corrupted: the payload does not match its SHA-256", error.Message);
    }

    [Fact]
    public void Load_RecipeWithoutSerializer_NamesTheRecipe()
    {
        var bytes = Bytes(Artifact());
        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes), new ModelPayloadSerializers([])));
        Assert.StartsWith("no model serializer for recipe 'aws-popularity-count'", error.Message, StringComparison.Ordinal);
    }
}

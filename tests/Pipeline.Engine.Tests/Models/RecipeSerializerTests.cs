using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Models;

public sealed class RecipeSerializerTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static readonly DateTimeOffset TrainedAt = new(2025, 6, 2, 3, 4, 5, TimeSpan.Zero);

    private ModelArtifact RoundTrip(IRecommendationModel model)
    {
        using var stream = new MemoryStream();
        ModelArtifact.Create(model, data.Interactions.Fingerprint(), TrainedAt).Save(stream);
        stream.Position = 0;
        return ModelArtifact.Load(stream);
    }

    [Fact]
    public async Task PersonalizedRanking_RoundTrip_RanksAndRecommendsIdentically()
    {
        var options = new PersonalizedRankingOptions(ItemNeighbors: 40, MaxHistoryLength: 50, MinCointeractionCount: 2);
        var saved = PersonalizedRanking.Train(data.Interactions, options);
        var loaded = RoundTrip(saved);

        Assert.Equal("aws-personalized-ranking", loaded.Recipe);
        Assert.Equal(options.ToHyperParameters(), loaded.Parameters);
        var model = Assert.IsType<PersonalizedRankingModel>(loaded.Model);
        Assert.Equal(options, model.Options);
        var candidates = data.Interactions.ItemIds.Take(300).Append("never-seen").ToArray();
        foreach (var user in new[] { "user_00001", "user_00500", "nobody" })
        {
            Assert.Equal(await saved.RankAsync(user, candidates), await model.RankAsync(user, candidates));
            var query = new ModelQuery(user, null, 25);
            Assert.Equal(await saved.RecommendAsync(query), await model.RecommendAsync(query));
        }
    }

    [Fact]
    public async Task TrendingNow_RoundTrip_RecommendsIdentically()
    {
        var options = new TrendingNowOptions(TimeSpan.FromDays(1), Smoothing: 2.5);
        var saved = TrendingNow.Train(data.Interactions, options);
        var loaded = RoundTrip(saved);

        Assert.Equal("aws-trending-now", loaded.Recipe);
        Assert.Equal(new Dictionary<string, string> { ["trend_discovery_frequency"] = "1 day", ["trend_smoothing"] = "2.5" }, loaded.Parameters);
        var model = Assert.IsType<TrendingNowModel>(loaded.Model);
        Assert.Equal(saved.WindowEnd, model.WindowEnd);
        var query = new ModelQuery("anyone", null, 500);
        Assert.Equal(await saved.RecommendAsync(query), await model.RecommendAsync(query));
    }

    [Theory]
    [InlineData("aws-personalized-ranking")]
    [InlineData("aws-trending-now")]
    public void CorruptedPayload_IsAnInvalidModelArtifact(string recipe)
    {
        // A payload that claims more elements than it holds must fail cleanly, not allocate or index out of range.
        var serializer = ModelPayloadSerializers.Default.For(recipe);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            if (recipe == "aws-trending-now") writer.Write(0L);
            writer.Write(1);
            writer.Write("item");
            writer.Write(1_000_000);
        }
        payload.Position = 0;
        using var reader = new BinaryReader(payload);
        Assert.Throws<InvalidModelArtifactException>(() => serializer.Read(reader, new Dictionary<string, string>()));
    }

    [Fact]
    public void RankingPayload_WithANeighbourOutsideTheCatalog_IsRejected()
    {
        var model = new PersonalizedRankingModel(["a", "b"], [1, 1], [0, 1, 1], [1], [0.5f], ["u"], [0, 1], [0], new PersonalizedRankingOptions());
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
            new PersonalizedRankingSerializer().Write(writer, model);
        var bytes = payload.ToArray();
        // The single neighbour index follows: strings "a","b" (count + 2×2 bytes), popularity (4+8), offsets (4+12), neighbour count (4).
        var neighbourAt = 4 + 4 + 12 + 16 + 4;
        Assert.Equal(1, BitConverter.ToInt32(bytes, neighbourAt));
        BitConverter.TryWriteBytes(bytes.AsSpan(neighbourAt), 7);
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var error = Assert.Throws<InvalidModelArtifactException>(() => new PersonalizedRankingSerializer().Read(reader, new Dictionary<string, string>()));
        Assert.Contains("index 7 outside 0..1", error.Message, StringComparison.Ordinal);
    }
}

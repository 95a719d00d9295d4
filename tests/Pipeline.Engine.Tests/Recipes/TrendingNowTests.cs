using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Randomness;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class TrendingNowTests
{
    private const long Hour = 3600;
    private static readonly long Start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>
    /// Three days of steady traffic over 200 items (popular ones far busier), then in the last two hours
    /// "spike" triples, "newcomer" appears with a modest burst and "blip" gets a single event.
    /// </summary>
    private static InteractionDataset Synthetic()
    {
        var rng = DeterministicRandom.ForStream(17, stream: 0);
        var builder = new InteractionDatasetBuilder();
        var end = Start + 72 * Hour;
        for (var t = Start; t < end; t += 60)
        {
            // Zipf-like item choice: low indexes are popular.
            var item = (int)(200 * Math.Pow(rng.NextDouble(), 3));
            builder.Add($"u{rng.NextInt(500)}", $"item{item:D3}", t, "view");
            if (t >= end - 2 * Hour && rng.NextDouble() < 0.25) builder.Add($"u{rng.NextInt(500)}", "spike", t, "view");
            if (t < end - 2 * Hour && rng.NextDouble() < 0.08) builder.Add($"u{rng.NextInt(500)}", "spike", t, "view");
            if (t >= end - Hour && rng.NextDouble() < 0.2) builder.Add($"u{rng.NextInt(500)}", "newcomer", t, "view");
        }
        builder.Add("u1", "blip", end - 10, "view");
        return builder.Build();
    }

    private static readonly InteractionDataset Data = Synthetic();

    private static async Task<IReadOnlyList<ScoredItem>> Top(IRecommendationModel model, int n) =>
        await model.RecommendAsync(new ModelQuery("anyone", null, n));

    [Fact]
    public async Task Train_FindsThePlantedSpikeAndTheNewcomer_NotTheBlipOrThePopularItems()
    {
        var top = await Top(TrendingNow.Train(Data, new TrendingNowOptions(TimeSpan.FromHours(2))), 2);
        Assert.Equal(["spike", "newcomer"], top.Select(s => s.ItemId).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(1.0, top[0].Score);
    }

    [Fact]
    public async Task Train_IsRelativeToTheNewestTimestamp_NotTheWallClock()
    {
        // Shifting every timestamp by a year changes nothing.
        var builder = new InteractionDatasetBuilder();
        for (var row = 0; row < Data.Count; row++)
            builder.Add(Data.UserIds[Data.UserIndex[row]], Data.ItemIds[Data.ItemIndex[row]], Data.Timestamps[row] + 365 * 24 * Hour, "view");
        var shifted = TrendingNow.Train(builder.Build());
        var original = TrendingNow.Train(Data);
        Assert.Equal(await Top(original, 50), await Top(shifted, 50));
        Assert.Equal(original.WindowEnd + 365 * 24 * Hour, shifted.WindowEnd);
    }

    [Fact]
    public async Task Train_IsDeterministic()
    {
        Assert.Equal(await Top(TrendingNow.Train(Data), 100), await Top(TrendingNow.Train(Synthetic()), 100));
    }

    [Fact]
    public async Task Recommend_FillsWithActiveItemsAfterTheTrendingOnes()
    {
        var model = TrendingNow.Train(Data);
        var all = await Top(model, 1000);
        Assert.Equal(Data.ItemIds.Count, all.Count);
        var trending = all.TakeWhile(s => s.Score > 0).Count();
        Assert.InRange(trending, 2, all.Count - 1);
        Assert.All(all.Skip(trending), s => Assert.Equal(0, s.Score));
    }

    [Fact]
    public void Trend_SmoothingKeepsTinyCountsFromDominating()
    {
        var model = new TrendingNowModel(["tiny", "big"], [2, 150], [0, 100], [2, 300], 0, new TrendingNowOptions());
        Assert.True(model.Trend(1) > model.Trend(0));
        Assert.Equal(2 / Math.Sqrt(5), model.Trend(0), precision: 12);
    }

    [Theory]
    [InlineData("30 minutes", 30)]
    [InlineData("1 hour", 60)]
    [InlineData("2 hours", 120)]
    [InlineData("3 hours", 180)]
    [InlineData("1 day", 1440)]
    public void Options_ReadPersonalizesTrendDiscoveryFrequencies(string text, int minutes)
    {
        var options = TrendingNowOptions.FromHyperParameters(new Dictionary<string, string> { ["trend_discovery_frequency"] = text });
        Assert.Equal(TimeSpan.FromMinutes(minutes), options.TrendDiscoveryFrequency);
        Assert.Equal(text, options.ToHyperParameters()["trend_discovery_frequency"]);
    }

    [Fact]
    public void Options_DefaultToTwoHours_AndRejectOtherFrequencies()
    {
        Assert.Equal(TimeSpan.FromHours(2), TrendingNowOptions.FromHyperParameters(new Dictionary<string, string>()).TrendDiscoveryFrequency);
        var error = Assert.Throws<ArgumentException>(() =>
            TrendingNowOptions.FromHyperParameters(new Dictionary<string, string> { ["trend_discovery_frequency"] = "5 minutes" }));
        Assert.Contains("trend_discovery_frequency must be one of '30 minutes', '1 hour', '2 hours', '3 hours', '1 day'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_IsRegisteredAfterPopularity()
    {
        var names = RecipeCatalog.Default.All.Select(r => r.Name).ToList();
        Assert.True(names.IndexOf("aws-trending-now") > names.IndexOf("aws-popularity-count"));
    }
}

using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Datasets;

public sealed class SyntheticDataGeneratorTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    [Fact]
    public void Generate_WritesPersonalizeHeaders()
    {
        Assert.Equal("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE", data.Lines(DatasetFiles.Interactions)[0]);
        Assert.Equal("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP", data.Lines(DatasetFiles.Items)[0]);
        Assert.Equal("USER_ID,AGE_GROUP,MEMBERSHIP", data.Lines(DatasetFiles.Users)[0]);
    }

    [Theory]
    [InlineData(DatasetFiles.InteractionsSchema, DatasetFiles.Interactions)]
    [InlineData(DatasetFiles.ItemsSchema, DatasetFiles.Items)]
    [InlineData(DatasetFiles.UsersSchema, DatasetFiles.Users)]
    public void Generate_WritesAvroSchemaWhoseFieldsMatchTheCsvHeader(string schemaFile, string csvFile)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(data.DirectoryPath, schemaFile)));
        Assert.Equal("record", schema.RootElement.GetProperty("type").GetString());
        Assert.Equal("com.amazonaws.personalize.schema", schema.RootElement.GetProperty("namespace").GetString());
        var fields = schema.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray();
        Assert.Equal(data.Lines(csvFile)[0].Split(','), fields);
    }

    [Fact]
    public void Generate_MarksCategoricalMetadataAsCategorical()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(data.DirectoryPath, DatasetFiles.ItemsSchema)));
        var category = schema.RootElement.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "CATEGORY");
        Assert.True(category.GetProperty("categorical").GetBoolean());
    }

    [Fact]
    public void Generate_WritesExactlyTheRequestedCounts()
    {
        Assert.Equal(GeneratedDataset.Options.Interactions, data.Lines(DatasetFiles.Interactions).Length - 1);
        Assert.Equal(GeneratedDataset.Options.Items, data.Lines(DatasetFiles.Items).Length - 1);
        Assert.Equal(GeneratedDataset.Options.Users, data.Lines(DatasetFiles.Users).Length - 1);
        Assert.Equal(GeneratedDataset.Options.Interactions, data.Summary.Interactions);
        Assert.Equal(data.Summary.Interactions, data.Summary.Views + data.Summary.Clicks + data.Summary.Purchases);
    }

    [Fact]
    public void Generate_GivesEveryUserAtLeastOneInteraction()
    {
        Assert.Equal(GeneratedDataset.Options.Users, data.Interactions.UserIds.Count);
    }

    [Fact]
    public void Generate_NumbersIdsFromOneWithFiveDigitPadding()
    {
        Assert.StartsWith("user_00001,", data.Lines(DatasetFiles.Users)[1]);
        Assert.StartsWith("user_02000,", data.Lines(DatasetFiles.Users)[^1]);
        Assert.StartsWith("item_00001,", data.Lines(DatasetFiles.Items)[1]);
        Assert.StartsWith("item_01000,", data.Lines(DatasetFiles.Items)[^1]);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(99_999, 5)]
    [InlineData(100_000, 6)]
    [InlineData(1_234_567, 7)]
    public void IdWidth_IsFiveDigitsOrTheDigitsOfTheCount(int count, int width)
    {
        Assert.Equal(width, IdFormat.Width(count));
    }

    [Fact]
    public void Generate_ReferencesOnlyUsersAndItemsOfTheMetadataFiles()
    {
        var users = data.Lines(DatasetFiles.Users).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        var items = data.Lines(DatasetFiles.Items).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        Assert.All(data.Interactions.UserIds, id => Assert.Contains(id, users));
        Assert.All(data.Interactions.ItemIds, id => Assert.Contains(id, items));
    }

    [Fact]
    public void Generate_WithSameSeed_WritesSameBytes()
    {
        using var again = new TempDirectory();
        SyntheticDataGenerator.Generate(GeneratedDataset.Options, again.Path);
        foreach (var file in new[] { DatasetFiles.Interactions, DatasetFiles.Items, DatasetFiles.Users, DatasetFiles.ItemsSchema })
            Assert.Equal(File.ReadAllBytes(Path.Combine(data.DirectoryPath, file)), File.ReadAllBytes(again.File(file)));
    }

    [Fact]
    public void Generate_WithDifferentSeed_WritesDifferentBytes()
    {
        using var other = new TempDirectory();
        SyntheticDataGenerator.Generate(GeneratedDataset.Options with { Seed = 8 }, other.Path);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(data.DirectoryPath, DatasetFiles.Interactions)), File.ReadAllBytes(other.File(DatasetFiles.Interactions)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(data.DirectoryPath, DatasetFiles.Items)), File.ReadAllBytes(other.File(DatasetFiles.Items)));
    }

    [Fact]
    public void Generate_FunnelHasRealisticClickAndPurchaseRates()
    {
        var clickThrough = (double)data.Summary.Clicks / data.Summary.Views;
        var purchasePerClick = (double)data.Summary.Purchases / data.Summary.Clicks;
        Assert.InRange(clickThrough, 0.05, 0.2);
        Assert.InRange(purchasePerClick, 0.1, 0.25);
    }

    [Fact]
    public void Generate_GivesValuesToPurchasesOnlyAsMultiplesOfTheItemPrice()
    {
        var priceCents = data.Lines(DatasetFiles.Items).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => (long)Math.Round(double.Parse(f[2], CultureInfo.InvariantCulture) * 100));
        foreach (var fields in data.Lines(DatasetFiles.Interactions).Skip(1).Select(l => l.Split(',')))
        {
            if (fields[3] == "purchase")
            {
                var valueCents = (long)Math.Round(double.Parse(fields[4], CultureInfo.InvariantCulture) * 100);
                Assert.Equal(0, valueCents % priceCents[fields[1]]);
                Assert.InRange(valueCents / priceCents[fields[1]], 1, 3);
            }
            else
            {
                Assert.Equal("", fields[4]);
            }
        }
    }

    [Fact]
    public void Generate_MakesPopularitySkewed()
    {
        var viewsByItem = new int[data.Interactions.ItemIds.Count];
        foreach (var item in data.Interactions.ItemIndex) viewsByItem[item]++;
        var sorted = viewsByItem.OrderDescending().ToArray();
        var topTenPercent = sorted.Take(GeneratedDataset.Options.Items / 10).Sum();
        Assert.True(topTenPercent > 0.4 * data.Interactions.Count, $"top 10% of items had {topTenPercent} of {data.Interactions.Count} interactions");
    }

    [Fact]
    public void Generate_SpreadsTimestampsOverWeeksEndingAtAFixedDate()
    {
        var timestamps = data.Interactions.Timestamps.ToArray();
        var end = SyntheticDataGenerator.End.ToUnixTimeSeconds();
        Assert.True(timestamps.Max() < end);
        Assert.True(timestamps.Max() - timestamps.Min() > TimeSpan.FromDays(42).TotalSeconds);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), SyntheticDataGenerator.End);
    }

    [Fact]
    public void Generate_GroupsEventsIntoSessionsOfCloseTimestamps()
    {
        var byUser = data.Interactions.GroupByUser();
        var timestamps = data.Interactions.Timestamps;
        long closeGaps = 0, gaps = 0;
        for (var user = 0; user < byUser.UserCount; user++)
        {
            var rows = byUser.RowsOf(user);
            for (var i = 1; i < rows.Length; i++)
            {
                gaps++;
                if (timestamps[rows[i]] - timestamps[rows[i - 1]] <= 600) closeGaps++;
            }
        }
        // Sessions of several events mean most consecutive events are minutes apart, not days.
        Assert.True(closeGaps > 0.6 * gaps, $"{closeGaps} of {gaps} gaps were within ten minutes");
    }

    [Fact]
    public void Generate_GivesUsersConcentratedCategoryTastes()
    {
        var category = data.Lines(DatasetFiles.Items).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
        var byUser = data.Interactions.GroupByUser();
        var shares = new List<double>();
        for (var user = 0; user < byUser.UserCount; user++)
        {
            var rows = byUser.RowsOf(user);
            if (rows.Length < 20) continue;
            var counts = new Dictionary<string, int>();
            foreach (var row in rows) counts[category[data.Interactions.ItemIds[data.Interactions.ItemIndex[row]]]] = counts.GetValueOrDefault(category[data.Interactions.ItemIds[data.Interactions.ItemIndex[row]]]) + 1;
            shares.Add(counts.Values.OrderDescending().Take(3).Sum() / (double)rows.Length);
        }
        // With 20 categories, tasteless users would put about 15-30% of events in their top three.
        Assert.True(shares.Average() > 0.7, $"mean top-3 category share {shares.Average():F2}");
    }

    [Fact]
    public void Generate_WithInvalidOptions_WritesNothing()
    {
        using var directory = new TempDirectory();
        var output = directory.File("out");
        Assert.Throws<ArgumentException>(() => SyntheticDataGenerator.Generate(new SyntheticDataOptions(Users: 0), output));
        Assert.False(Directory.Exists(output));
    }
}

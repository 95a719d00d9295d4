using System.Text.Json.Nodes;
using Pipeline.Api.Functions;
using Pipeline.Domain.Storage;
using Pipeline.Engine.InHouse;

namespace Pipeline.Api.Tests.Functions;

/// <summary>The trainer function's JSON transport: the payload read into the handler's request, its result written back.</summary>
public sealed class InHouseTrainerFunctionTests
{
    private readonly RecordingStore _store = new();

    private InHouseTrainerFunction Function() =>
        new(new InHouseTrainingHandler(_store, new InHouseModelsOptions { Bucket = "data" }, TimeProvider.System));

    [Theory]
    [InlineData("\"not an object\"")]
    [InlineData("""{"dataset_group":"pipeline","import":"s3://data/i.csv"}""")]
    public async Task HandleJson_WhenThePayloadIsNotARequest_AnswersInvalidInputWithoutReadingTheStore(string payload)
    {
        var answer = await Function().HandleJsonAsync(JsonNode.Parse(payload));

        Assert.Equal("FAILED", (string?)answer["status"]);
        Assert.Equal(InHouseTrainerFunction.InvalidInput, (string?)answer["error"]);
        Assert.Equal("the payload must be an object {dataset_group, import: {interactions?, items?}}", (string?)answer["reason"]);
        Assert.Empty(_store.Reads);
    }

    [Fact]
    public async Task HandleJson_WhenAnImportLocationIsNotAnS3Uri_AnswersInvalidInputNamingIt()
    {
        var answer = await Function().HandleJsonAsync(JsonNode.Parse("""{"import":{"interactions":"s3://data/i.csv","items":"/tmp/items.csv"}}"""));

        Assert.Equal(InHouseTrainerFunction.InvalidInput, (string?)answer["error"]);
        Assert.Equal("import locations must be s3://bucket/key strings (got \"/tmp/items.csv\")", (string?)answer["reason"]);
        Assert.Empty(_store.Reads);
    }

    [Fact]
    public async Task HandleJson_WhenTheImportIsMissing_AnswersEveryMemberTheWorkflowSelects()
    {
        var answer = await Function().HandleJsonAsync(JsonNode.Parse("""{"dataset_group":"pipeline","import":{"interactions":"s3://data/missing.csv","mode":"FULL"}}"""));

        // The training machine's ResultSelector reads these five members: each is present, null where there is nothing.
        Assert.Equal(["status", "version", "models", "reason", "error"], answer.Select(m => m.Key));
        Assert.Equal("FAILED", (string?)answer["status"]);
        Assert.Null(answer["version"]);
        Assert.Empty(answer["models"]!.AsArray());
        Assert.Equal("s3://data/missing.csv does not exist", (string?)answer["reason"]);
        Assert.Equal(InHouseTrainingHandler.ImportNotFound, (string?)answer["error"]);
        Assert.Equal(["data/missing.csv"], _store.Reads);
    }

    /// <summary>Holds nothing; records what is read.</summary>
    private sealed class RecordingStore : IObjectStore
    {
        public List<string> Reads { get; } = [];

        public Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
        {
            Reads.Add($"{bucket}/{key}");
            return Task.FromResult<byte[]?>(null);
        }

        public Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("nothing is written here");
    }
}

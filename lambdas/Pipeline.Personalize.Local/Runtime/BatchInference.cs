using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// Personalize's batch inference file format: each input line is a JSON object (<c>{"userId": …}</c>,
/// <c>{"itemId": …}</c>, or <c>{"userId": …, "itemList": […]}</c> for ranking); each output line is
/// <c>{"input": …, "output": {"recommendedItems": […], "scores": […]}, "error": null}</c>, in
/// <c>&lt;output folder&gt;/&lt;input file name&gt;.out</c>.
/// </summary>
public static class BatchInference
{
    public static async Task<int> RunAsync(IRecommendationModel model, CampaignServing.AppliedFilter? filter, string inputPath, string outputFolder, int numResults, CancellationToken cancellationToken)
    {
        var inputs = File.Exists(inputPath) ? [inputPath]
            : Directory.Exists(inputPath) ? Directory.GetFiles(inputPath).Order(StringComparer.Ordinal).ToArray()
            : throw new InvalidOperationException($"Batch input not found: {inputPath}.");
        if (inputs.Length == 0) throw new InvalidOperationException($"The batch input folder {inputPath} holds no files.");
        Directory.CreateDirectory(outputFolder);
        var lines = 0;
        foreach (var input in inputs)
        {
            var output = Path.Combine(outputFolder, Path.GetFileName(input) + ".out");
            await using var writer = new StreamWriter(output, append: false, new UTF8Encoding(false));
            foreach (var line in await File.ReadAllLinesAsync(input, cancellationToken))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                await writer.WriteAsync((await AnswerAsync(model, filter, line, numResults, cancellationToken)).ToJsonString());
                await writer.WriteAsync('\n');
                lines++;
            }
        }
        return lines;
    }

    private static async Task<JsonObject> AnswerAsync(IRecommendationModel model, CampaignServing.AppliedFilter? filter, string line, int numResults, CancellationToken cancellationToken)
    {
        JsonObject? input;
        try
        {
            input = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            input = null;
        }
        if (input is null) return Error(JsonValue.Create(line), "The line is not a JSON object.");

        var userId = Text(input, "userId");
        var itemId = Text(input, "itemId");
        IReadOnlyList<RankedItem> results;
        try
        {
            if (input["itemList"] is JsonArray itemList)
            {
                if (userId is null) return Error(input, "A ranking input needs a userId.");
                var ids = itemList.Select(i => i?.GetValueKind() == JsonValueKind.String ? i.GetValue<string>() : null).OfType<string>().ToList();
                results = await CampaignServing.RankAsync(model, userId, ids, filter, cancellationToken);
            }
            else if (userId is null && itemId is null)
            {
                return Error(input, "The input needs a userId or an itemId.");
            }
            else
            {
                results = [.. (await CampaignServing.RecommendAsync(model, userId, itemId, numResults, filter, cancellationToken)).Select(s => new RankedItem(s.ItemId, s.Score))];
            }
        }
        catch (Errors.PersonalizeException e)
        {
            return Error(input, e.Message);
        }
        return new JsonObject
        {
            ["input"] = input.DeepClone(),
            ["output"] = new JsonObject
            {
                ["recommendedItems"] = new JsonArray([.. results.Select(r => JsonValue.Create(r.ItemId))]),
                ["scores"] = new JsonArray([.. results.Select(r => r.Score is { } score ? JsonValue.Create(Math.Round(score, 7)) : null)]),
            },
            ["error"] = null,
        };
    }

    private static string? Text(JsonObject input, string member) =>
        input[member] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static JsonObject Error(JsonNode? input, string message) =>
        new() { ["input"] = input?.DeepClone(), ["output"] = null, ["error"] = message };
}

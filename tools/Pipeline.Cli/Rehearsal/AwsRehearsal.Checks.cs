using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Cli.LocalStack;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using Pipeline.Engine.Datasets;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Rehearsal;

public sealed partial class AwsRehearsal
{
    private static readonly string[] DatasetTypes = ["Interactions", "Items", "Users"];

    private static void Require(bool holds, string reason)
    {
        if (!holds) throw new StepFailedException(reason);
    }

    private static string Outcome(Execution execution) =>
        execution.Status == ExecutionStatus.Succeeded ? "SUCCEEDED" : $"{LocalExecutionStore.StatusName(execution.Status)} ({execution.Error}: {execution.Cause})";

    private static List<string> Entered(Execution execution) =>
        [.. execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!)];

    private static string Short(string? arn) => arn?[(arn.LastIndexOf(':') + 1)..] ?? "null";

    private async Task<JsonObject> PersonalizeAsync(string operation, JsonObject request, CancellationToken cancellationToken) =>
        await _personalize!.Personalize.InvokeAsync(operation, request, cancellationToken);

    private string PersonalizeArn(string kind, string name) =>
        $"arn:aws:personalize:{_personalize!.Personalize.Options.Region}:{_personalize.Personalize.Options.AccountId}:{kind}/{name}";

    private string DatasetGroup => TrainingScheduleDefinition.Load().Input["dataset_group"]!.GetValue<string>();

    /// <summary>Each dataset's import ACTIVE in the local Personalize; the catalog put through the API into its items table.</summary>
    private async Task<string> CheckImportedAsync(Execution execution, CancellationToken cancellationToken)
    {
        var entered = Entered(execution);
        var missing = DatasetTypes.Where(type => !entered.Contains($"{type}Imported")).ToList();
        Require(missing.Count == 0, $"execution {execution.Name} {Outcome(execution)} without importing {string.Join(", ", missing)}");
        foreach (var type in DatasetTypes)
        {
            var jobs = await PersonalizeAsync("ListDatasetImportJobs", new() { ["datasetArn"] = PersonalizeArn("dataset", $"{DatasetGroup}/{type.ToUpperInvariant()}") }, cancellationToken);
            Require((jobs["datasetImportJobs"]?.AsArray() ?? []).Any(j => (string?)j?["status"] == "ACTIVE"), $"the {type} dataset has no ACTIVE import job");
        }

        // The catalog the API validates item_id against: the sample's items, through the admin route into DynamoDB.
        var rows = File.ReadLines(Path.Combine(S3Root, _deployment.Bucket, SampleFolder, DatasetFiles.Items)).Skip(1).Select(line => line.Split(',')).ToList();
        foreach (var chunk in rows.Chunk(500))
        {
            var items = new JsonArray([.. chunk.Select(r => (JsonNode)new JsonObject
            {
                ["item_id"] = r[0], ["category"] = r[1],
                ["price"] = double.Parse(r[2], CultureInfo.InvariantCulture), ["creation_timestamp"] = long.Parse(r[3], CultureInfo.InvariantCulture),
            })]);
            var answer = await _api.PutAsync("/items", new JsonObject { ["items"] = items }, cancellationToken);
            Require(answer.Status == HttpStatusCode.OK, $"PUT /items answered {(int)answer.Status}: {answer.Body?.ToJsonString()}");
        }
        _catalogSize = rows.Count;
        return $"interactions, items and users imported into dataset group '{DatasetGroup}' by the workflow (import jobs ACTIVE; sample of " +
            $"{options.Sample.Users} users, {options.Sample.Items} items, {options.Sample.Interactions} interactions from s3://{_deployment.Bucket}/{SampleFolder}/); " +
            $"{_catalogSize} items put through PUT /items into {_deployment.Tables.Items}";
    }

    /// <summary>The execution succeeded with each recipe PROMOTED through the gate, the variants point at the campaigns in the moto table, EventBridge carried ModelPromoted.</summary>
    private async Task<string> CheckPromotedAsync(Execution execution, CancellationToken cancellationToken)
    {
        Require(execution.Status == ExecutionStatus.Succeeded, $"execution {execution.Name} {Outcome(execution)}");
        var results = execution.Output?["results"]?.AsArray() ?? [];
        var notPromoted = results.Where(r => (string?)r?["status"] != "PROMOTED").Select(r => $"{r?["recipe"]}: {r?["status"]}").ToList();
        Require(results.Count == 3 && notPromoted.Count == 0, $"results: {results.ToJsonString()}");
        var gates = Entered(execution).Count(s => s == TrainingDefinition.MetricGateState);
        Require(gates == 3, $"the metric gate ran {gates} times, not 3");

        var experiment = await ReadExperimentAsync(cancellationToken);
        var campaigns = results.ToDictionary(r => (string)r!["recipe"]!, r => (string)r!["campaignArn"]!);
        foreach (var variant in experiment.Variants)
        {
            Require(variant.Campaign == campaigns.GetValueOrDefault(variant.Recipe),
                $"variant '{variant.Key}' in {_deployment.Tables.Experiments} points at {variant.Campaign ?? "no campaign"}, not {campaigns.GetValueOrDefault(variant.Recipe)}");
            var campaign = (await PersonalizeAsync("DescribeCampaign", new() { ["campaignArn"] = variant.Campaign }, cancellationToken))["campaign"]!;
            Require((string?)campaign["status"] == "ACTIVE", $"campaign {variant.Campaign} is {campaign["status"]}");
        }

        var promotions = await ReceivePromotionsAsync(3, cancellationToken);
        Require(promotions.Count == 3, $"the ModelPromoted rule's queue received {promotions.Count} events, not 3");
        return $"execution {execution.Name} SUCCEEDED in {(execution.StopDate - execution.StartDate)?.TotalSeconds:0.0} s: " +
            string.Join(", ", results.Select(r => $"{r!["recipe"]} PROMOTED")) + $" by the metric gate; {_deployment.Tables.Experiments} variants → " +
            string.Join(", ", experiment.Variants.Select(v => $"{v.Key}: {Short(v.Campaign)}")) + $"; {promotions.Count} ModelPromoted events through EventBridge";
    }

    private async Task<Experiment> ReadExperimentAsync(CancellationToken cancellationToken)
    {
        using var dynamo = _aws.Clients.DynamoDb();
        return await new DynamoDbExperimentStore(dynamo, _deployment.Tables).GetAsync(DefaultExperiment.Key, cancellationToken)
            ?? throw new StepFailedException($"no experiment '{DefaultExperiment.Key}' in {_deployment.Tables.Experiments}");
    }

    /// <summary>The events the ModelPromoted rule forwarded to its queue (deleted once read).</summary>
    private async Task<List<JsonNode>> ReceivePromotionsAsync(int expected, CancellationToken cancellationToken)
    {
        using var sqs = _aws.Clients.Sqs();
        var events = new List<JsonNode>();
        for (var attempt = 0; attempt < 5 && events.Count < expected; attempt++)
        {
            var messages = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _deployment.PromotionsQueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, cancellationToken)).Messages ?? [];
            foreach (var message in messages)
            {
                events.Add(JsonNode.Parse(message.Body)!);
                await sqs.DeleteMessageAsync(_deployment.PromotionsQueueUrl, message.ReceiptHandle, cancellationToken);
            }
        }
        return events;
    }

    private string? SeedFor(Variant variant) => variant.Recipe == Domain.Recommendations.Recipes.Sims ? _seedItem : null;

    /// <summary>A user forced into the variant is served by its campaign, with the items the AWS CLI gets from that campaign.</summary>
    private async Task<string> CheckVariantServedAsync(string variantKey, CancellationToken cancellationToken)
    {
        var variant = (await ReadExperimentAsync(cancellationToken)).Variants.Single(v => v.Key == variantKey);
        var seed = SeedFor(variant);
        // The AWS CLI first: its call also loads the campaign's model in the local Personalize, which a real campaign never has to do.
        string[] args = ["personalize-runtime", "get-recommendations", "--campaign-arn", variant.Campaign!, "--user-id", _user,
            "--num-results", options.NumResults.ToString(CultureInfo.InvariantCulture), .. seed is null ? Array.Empty<string>() : ["--item-id", seed]];
        var cli = await AwsCliProcess.RunAsync(_personalize!.Endpoint, cancellationToken, args);
        var expected = (cli?["itemList"]?.AsArray() ?? []).Select(i => (string)i!["itemId"]!).ToArray();

        var served = await _api.RecommendAsync(_user, variant.Key, seed, options.NumResults, cancellationToken);
        var servedBy = (string?)served["served_by"];
        Require(servedBy == "primary" && (string?)served["campaign_arn"] == variant.Campaign,
            $"served_by {servedBy}, campaign_arn {(string?)served["campaign_arn"] ?? "none"} (the variant's campaign is {variant.Campaign})");
        var items = ApiClient.Items(served);
        Require(items.Length > 0, "the campaign answered no items");
        Require(items.SequenceEqual(expected), $"the API served [{string.Join(", ", items)}], aws personalize-runtime get-recommendations returned [{string.Join(", ", expected)}]");
        return $"user {_user}{(seed is null ? "" : $", item {seed}")}: served_by primary from {Short(variant.Campaign)} (solution version {Short((string?)served["solution_version_arn"])}), " +
            $"[{string.Join(", ", items)}] = aws personalize-runtime get-recommendations";
    }

    /// <summary>A retraining without import (the nightly rule's input): each campaign updated to a new version, which the API names within the TTL.</summary>
    private async Task<string> CheckRetrainingServedAsync(CancellationToken cancellationToken)
    {
        var variants = (await ReadExperimentAsync(cancellationToken)).Variants;
        var execution = await _training.RunAsync(TrainingScheduleDefinition.Load().Input.DeepClone().AsObject(), cancellationToken);
        var ended = Stopwatch.StartNew();
        Require(execution.Status == ExecutionStatus.Succeeded, $"execution {execution.Name} {Outcome(execution)}");
        var results = execution.Output?["results"]?.AsArray() ?? [];
        Require(results.Count == 3 && results.All(r => (string?)r?["status"] == "PROMOTED"), $"results: {results.ToJsonString()}");
        var updates = Entered(execution).Count(s => s == "UpdateCampaign");
        Require(updates == 3, $"UpdateCampaign ran {updates} times, not 3");

        var newVersions = results.ToDictionary(r => (string)r!["recipe"]!, r => (string)r!["solutionVersionArn"]!);
        // The TTL, plus a second for the polling requests themselves on a loaded machine.
        var allowed = TimeSpan.FromSeconds(options.CacheSeconds + 1);
        var pending = variants.ToDictionary(v => v.Key);
        var seen = new Dictionary<string, TimeSpan>();
        while (pending.Count > 0 && ended.Elapsed <= allowed + TimeSpan.FromSeconds(5))
        {
            foreach (var variant in pending.Values.ToList())
            {
                var served = await _api.RecommendAsync(_user, variant.Key, SeedFor(variant), options.NumResults, cancellationToken);
                if ((string?)served["solution_version_arn"] == newVersions[variant.Recipe] && (string?)served["served_by"] == "primary")
                {
                    seen[variant.Key] = ended.Elapsed;
                    pending.Remove(variant.Key);
                }
            }
            await Task.Delay(100, cancellationToken);
        }
        Require(pending.Count == 0, $"after {ended.Elapsed.TotalSeconds:0.0} s the API still served the old version for {string.Join(", ", pending.Keys)}");
        var slowest = seen.Values.Max();
        Require(slowest <= allowed, $"the new versions were served {slowest.TotalSeconds:0.00} s after the execution ended, beyond the {options.CacheSeconds:0.#} s TTL (+1 s for polling)");
        return $"execution {execution.Name}: 3 campaigns updated to new solution versions (UpdateCampaign); every variant served its new version " +
            $"{slowest.TotalSeconds:0.00} s after the execution ended at the latest (TTL {options.CacheSeconds:0.#} s): " +
            string.Join(", ", variants.Select(v => $"{v.Key} → {Short(newVersions[v.Recipe])}"));
    }

    /// <summary>POST /events → SQS (moto) → the consumer process (its PutEvents to the tracker) → the user's next recommendations.</summary>
    private async Task<string> CheckEventReachesCampaignAsync(CancellationToken cancellationToken)
    {
        var groupArn = PersonalizeArn("dataset-group", DatasetGroup);
        var tracker = await PersonalizeAsync("CreateEventTracker", new() { ["name"] = $"{DatasetGroup}-tracker", ["datasetGroupArn"] = groupArn }, cancellationToken);
        var environment = new Dictionary<string, string>(_aws.Environment);
        foreach (var (name, value) in _deployment.ConsumerEnvironment(PassThroughPaths.EventsConsumer)) environment[name] = value;
        environment[EnvironmentVariables.PersonalizeTrackingId] = (string)tracker["trackingId"]!;
        environment[Pipeline.Adapters.Aws.Personalize.PersonalizeEventsClient.EndpointSetting] = PersonalizeEndpoint;
        _consumerProcess = await FunctionProcess.StartAsync(environment, cancellationToken);

        var variant = (await ReadExperimentAsync(cancellationToken)).Variants.Single(v => v.Recipe == Domain.Recommendations.Recipes.UserPersonalization);
        var before = ApiClient.Items(await _api.RecommendAsync(_user, variant.Key, null, options.NumResults, cancellationToken));
        Require(before.Length > 0, "no recommendations before the event");
        var eventId = "rehearsal-" + Guid.NewGuid().ToString("N")[..12];
        var posted = await _api.PostAsync("/events", new JsonObject
        {
            ["event_id"] = eventId, ["user_id"] = _user, ["event_type"] = "purchase", ["item_id"] = before[0], ["session_id"] = "rehearsal",
        }, cancellationToken);
        Require(posted.Status == HttpStatusCode.Accepted, $"POST /events answered {(int)posted.Status}: {posted.Body?.ToJsonString()}");

        using var sqs = _aws.Clients.Sqs();
        var lambda = new SqsEventSourceEmulator(sqs, _deployment.EventsQueueUrl, _deployment.EventsQueueArn, _consumerProcess.BaseAddress, environment);
        await lambda.DrainAsync(cancellationToken: cancellationToken);
        Require(lambda.Deleted == 1 && lambda.FailedInvocations == 0,
            $"the consumer settled {lambda.Deleted} messages in {lambda.Invocations} invocations, {lambda.FailedInvocations} failed: {_consumerProcess.Tail}");
        using (var dynamo = _aws.Clients.DynamoDb())
        {
            var stored = await new DynamoDbEventStore(dynamo, _deployment.Tables, TimeProvider.System).GetAsync(eventId, cancellationToken);
            Require(stored is not null, $"event {eventId} is not in {_deployment.Tables.Events}");
        }

        string[] after = before;
        var watch = Stopwatch.StartNew();
        while (after.SequenceEqual(before) && watch.Elapsed < TimeSpan.FromSeconds(options.CacheSeconds + 5))
        {
            after = ApiClient.Items(await _api.RecommendAsync(_user, variant.Key, null, options.NumResults, cancellationToken));
            if (after.SequenceEqual(before)) await Task.Delay(100, cancellationToken);
        }
        Require(!after.SequenceEqual(before), $"{_user}'s recommendations stayed [{string.Join(", ", before)}] after the purchase of {before[0]} reached the tracker");
        return $"purchase of {before[0]} by {_user}: 202, SQS → consumer process (PIPELINE_ROLE=events-consumer) → {_deployment.Tables.Events} and PutEvents; " +
            $"{variant.Key} served [{string.Join(", ", before)}] before, [{string.Join(", ", after)}] after";
    }

    /// <summary>The local Personalize stopped: every variant's requests answered by the in-house models the workflow wrote to S3.</summary>
    private async Task<string> CheckFallbackAsync(CancellationToken cancellationToken)
    {
        await _personalize!.DisposeAsync();
        _personalize = null;
        var health = await _api.GetAsync("/health", cancellationToken);
        var models = health.Body?["models"]?.AsArray().Select(m => (string?)m).ToList() ?? [];
        Require(health.Status == HttpStatusCode.OK && models.Count > 0, $"GET /health answered {(int)health.Status} with models [{string.Join(", ", models)}]");
        var variants = (await ReadExperimentAsync(cancellationToken)).Variants;
        var latencies = new List<double>();
        var servedBy = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.FallbackRequests; i++)
        {
            var variant = variants[i % variants.Count];
            var body = new JsonObject { ["user_id"] = _user, ["num_results"] = options.NumResults };
            if (SeedFor(variant) is { } seed) body["item_id"] = seed;
            var answer = await _api.PostAsync($"/recommendations?force_variant={variant.Key}", body, cancellationToken);
            Require(answer.Status == HttpStatusCode.OK, $"request {i + 1} ({variant.Key}) answered {(int)answer.Status}: {answer.Body?.ToJsonString()}");
            var by = (string?)answer.Body!["served_by"] ?? "";
            Require(by.StartsWith("fallback:", StringComparison.Ordinal), $"request {i + 1} ({variant.Key}) was served_by {by}");
            Require(ApiClient.Items(answer.Body).Length > 0, $"request {i + 1} ({variant.Key}) answered no items ({by})");
            servedBy.Add(by);
            latencies.Add(answer.Elapsed.TotalMilliseconds);
        }
        // Measured at the client, so the figures include this process's and the API's scheduling on a shared machine: the
        // median is held to the budget, the tail is reported.
        latencies.Sort();
        double Percentile(double p) => latencies[(int)Math.Ceiling(p * latencies.Count) - 1];
        var (p50, p95, max) = (Percentile(0.5), Percentile(0.95), latencies[^1]);
        Require(p50 <= options.BudgetMilliseconds, $"the median fallback answer took {p50:0} ms (p95 {p95:0} ms, max {max:0} ms), beyond the {options.BudgetMilliseconds} ms budget");
        return $"{options.FallbackRequests}/{options.FallbackRequests} requests over the 3 variants answered non-empty, served_by {string.Join(", ", servedBy)}, " +
            $"from the in-house models the workflow wrote to s3://{_deployment.Bucket}/models/ ({string.Join(", ", models)}); " +
            $"client side p50 {p50:0.0} ms ≤ {options.BudgetMilliseconds} ms budget (p95 {p95:0.0} ms, max {max:0.0} ms)";
    }
}

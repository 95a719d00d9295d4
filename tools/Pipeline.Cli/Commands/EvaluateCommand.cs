using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline evaluate`: split, train one recipe on the training side, print Personalize's offline metrics. The split is
/// made from one interactions CSV (--interactions, --holdout), or given as files of the research format
/// (--train [--valid] --test, <see cref="UserItemListsFile"/>): the model is trained on train (+ valid), tuned on valid
/// when given, and every test item is a target; every item the user did not train on is ranked.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var interactions = new Option<string?>("--interactions") { Description = "Interactions CSV: Personalize's (USER_ID,ITEM_ID,TIMESTAMP,...) or plain with --user-col/--item-col." };
        var trainFile = new Option<string?>("--train") { Description = "Training file, one line per user: 'user item item ...' (plain or gzip); use with --test instead of --interactions." };
        var validFile = new Option<string?>("--valid") { Description = "Validation file in the --train format: hyperparameters are tuned on it (trained on --train), then the model is refit on train + valid." };
        var testFile = new Option<string?>("--test") { Description = "Test file in the --train format: every item in it is a target." };
        var recipe = new Option<string>("--recipe") { Description = $"Recipe name or ARN, or an evaluation baseline ({string.Join(", ", EvaluationTrainer.Names)}).", Required = true };
        var holdout = new Option<string>("--holdout") { Description = "personalize (10% of users, newest 10%), time (every user's newest 10%) or random (a random 10% of every user's).", DefaultValueFactory = _ => "personalize" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var userColumn = new Option<string?>("--user-col") { Description = "User column of a plain CSV." };
        var itemColumn = new Option<string?>("--item-col") { Description = "Item column of a plain CSV." };
        var timeColumn = new Option<string?>("--time-col") { Description = "Timestamp column of a plain CSV (optional)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the holdout split.", DefaultValueFactory = _ => 42 };
        var targets = new Option<string>("--targets") { Description = "all (every held-out item, as Personalize scores) or new (only items the user has not interacted with before).", DefaultValueFactory = _ => "all" };
        var itemsFile = new Option<string?>("--items") { Description = "Personalize items CSV (ITEM_ID, CATEGORY, ...): recipes that use item metadata get it." };
        var hyper = new Option<string[]>("--hyper") { Description = "Hyperparameter as name=value (repeatable), e.g. lambda=200.", AllowMultipleArgumentsPerToken = true };

        var command = new Command("evaluate", "Train a recipe on a holdout split and print GetSolutionMetrics-style offline metrics.");
        foreach (var option in new Option[] { interactions, trainFile, validFile, testFile, recipe, holdout, json, userColumn, itemColumn, timeColumn, seed, targets, hyper, itemsFile }) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var path = parse.GetValue(interactions);
            var recipeName = parse.GetValue(recipe)!;
            if (!EvaluationTrainer.IsKnown(recipeName)) throw new CommandLineException($"unknown --recipe '{recipeName}' (known: {string.Join(", ", EvaluationTrainer.Names)}).");
            var (train, valid, test) = (parse.GetValue(trainFile), parse.GetValue(validFile), parse.GetValue(testFile));
            if (path is null && train is null) throw new CommandLineException("give --interactions FILE, or --train FILE --test FILE.");
            if (path is not null && (train ?? valid ?? test) is not null) throw new CommandLineException("--interactions and --train/--valid/--test exclude each other.");
            if (train is not null && test is null) throw new CommandLineException("--train needs --test.");
            if (train is null && (valid ?? test) is not null) throw new CommandLineException("--valid and --test need --train.");
            foreach (var (name, file) in new[] { ("--interactions", path), ("--train", train), ("--valid", valid), ("--test", test) })
                if (file is not null && !File.Exists(file)) throw new CommandLineException($"{name} '{file}' does not exist.");
            var strategy = parse.GetValue(holdout) switch
            {
                "personalize" => HoldoutStrategy.Personalize,
                "time" => HoldoutStrategy.Time,
                "random" => HoldoutStrategy.Random,
                var other => throw new CommandLineException($"--holdout must be personalize, time or random (got '{other}')."),
            };
            var hyperParameters = ParseHyper(parse.GetValue(hyper) ?? []);
            var user = parse.GetValue(userColumn);
            var item = parse.GetValue(itemColumn);
            if ((user is null) != (item is null)) throw new CommandLineException("--user-col and --item-col go together.");

            var stopwatch = Stopwatch.StartNew();
            IReadOnlyList<Pipeline.Domain.Catalog.Item>? catalogItems = null;
            var itemsPath = parse.GetValue(itemsFile);
            if (itemsPath is not null && !File.Exists(itemsPath)) throw new CommandLineException($"--items '{itemsPath}' does not exist.");
            HoldoutSplit split;
            HoldoutSplit? validation = null;
            int interactionCount;
            try
            {
                if (path is not null)
                {
                    var dataset = user is null ? InteractionsCsv.Read(path, cancellationToken) : PlainInteractionsCsv.Read(path, user, item!, parse.GetValue(timeColumn));
                    interactionCount = dataset.Count;
                    split = Holdout.Split(dataset, strategy, parse.GetValue(seed));
                }
                else
                {
                    var files = FileSplit.Read(train!, valid, test!);
                    (split, validation) = (files.Test, files.Validation);
                    interactionCount = split.Training.Count + split.TestUsers.Sum(u => u.TargetItemIds.Count);
                }
                if (itemsPath is not null) catalogItems = ItemsCsv.Read(itemsPath);
            }
            catch (Exception e) when (e is CsvFormatException or InvalidDataException)
            {
                throw new CommandLineException(e.Message);
            }
            split = parse.GetValue(targets) switch
            {
                "all" => split,
                "new" => NewItemTargets.Apply(split),
                var other => throw new CommandLineException($"--targets must be all or new (got '{other}')."),
            };
            var loadingSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            Pipeline.Domain.Recommendations.IRecommendationModel model;
            var validationNdcg = new SortedDictionary<string, double>(StringComparer.Ordinal);
            try
            {
                var data = new Pipeline.Engine.Recipes.TrainingData(split.Training, catalogItems) { Validation = validation };
                model = EvaluationTrainer.Train(recipeName, data, hyperParameters, validationNdcg, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }
            var trainingSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            var timed = new TimedModel(model);
            var metrics = await OfflineEvaluator.EvaluateAsync(timed, split, cancellationToken, includeNdcgAt20: true);
            var evaluationSeconds = stopwatch.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var report = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["recipe"] = Pipeline.Domain.Recommendations.Recipes.Normalize(recipeName),
                ["holdout"] = path is not null ? strategy.ToString().ToLowerInvariant() : "files",
                ["interactions"] = interactionCount,
                ["loading_seconds"] = Math.Round(loadingSeconds, 3),
                ["training_data"] = path is not null ? "training side of the holdout"
                    : validation is null ? "train" : "train+valid (hyperparameters tuned on train → valid, then refit on train+valid)",
                ["test_users"] = split.TestUsers.Count,
                ["targets"] = parse.GetValue(targets)!,
                ["training_seconds"] = Math.Round(trainingSeconds, 3),
                ["evaluation_seconds"] = Math.Round(evaluationSeconds, 3),
                ["request_p50_us"] = Math.Round(timed.PercentileMicroseconds(50), 1),
                ["request_p99_us"] = Math.Round(timed.PercentileMicroseconds(99), 1),
                ["peak_working_set_mib"] = Math.Round(peak / 1048576.0, 1),
                ["gc_heap_mib"] = Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, 1),
            };
            if (model is Pipeline.Engine.Recipes.UserPersonalizationModel up)
                foreach (var (key, value) in up.Options.ToHyperParameters()) report["hyperparameter." + key] = value;
            foreach (var (name, value) in metrics) report[name] = Math.Round(value, 4);
            foreach (var (candidate, value) in validationNdcg) report["validation_ndcg_at_10." + candidate] = Math.Round(value, 4);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) await output.WriteLineAsync(JsonSerializer.Serialize(report));
            else
                foreach (var (name, value) in report)
                    await output.WriteLineAsync($"{name,-45} {Convert.ToString(value, CultureInfo.InvariantCulture)}");
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> ParseHyper(string[] pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new CommandLineException($"--hyper '{pair}' must be name=value.");
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }
}

using Amazon.CDK.AWS.StepFunctions;

namespace Pipeline.Workflows;

/// <summary>ValidateInput: a malformed input ends in NotifyFailure/TrainingFailed naming the field, before any call.</summary>
public sealed partial class TrainingStateMachine
{
    private IChainable ValidateInput(IChainable valid, IChainable notifyAndFail)
    {
        var choice = new Choice(this, "ValidateInput", new ChoiceProps { Comment = "Malformed input fails before any call" });
        void Rule(string name, Condition invalid, string cause)
        {
            var pass = new Pass(this, "InvalidInput" + name, new PassProps
            {
                Parameters = new Dictionary<string, object> { ["State"] = "ValidateInput", ["Error"] = "Pipeline.InvalidInput", ["Cause"] = cause },
                ResultPath = "$.error",
            });
            pass.Next(notifyAndFail);
            choice.When(invalid, pass);
        }
        static Condition Present(string path) => Condition.IsPresent(path);
        static Condition Absent(string path) => Condition.Not(Condition.IsPresent(path));

        Rule("DatasetGroup", Condition.Or(Absent("$.dataset_group"), Condition.Not(Condition.IsString("$.dataset_group"))),
            "dataset_group is required: the name of the Personalize dataset group");
        Rule("Recipes", Condition.Or(Absent("$.recipes[0]"), Condition.Not(Condition.IsString("$.recipes[0]"))),
            "recipes is required: a non-empty array of recipe names, e.g. [\"aws-user-personalization\"]");
        Rule("TrainingMode", Condition.And(Present("$.training_mode"), Condition.Or(
                Condition.Not(Condition.IsString("$.training_mode")),
                Condition.Not(Condition.Or(Condition.StringEquals("$.training_mode", "FULL"), Condition.StringEquals("$.training_mode", "UPDATE"))))),
            "training_mode must be FULL or UPDATE");
        // The defaults are merged into import with States.JsonMerge, which fails the run (uncaught) on anything but an
        // object; ASL has no IsObject test, so every other JSON type is ruled out (an empty array excepted).
        Rule("Import", Condition.And(Present("$.import"), Condition.Or(
                Condition.IsString("$.import"), Condition.IsNumeric("$.import"), Condition.IsBoolean("$.import"),
                Condition.IsNull("$.import"), Present("$.import[0]"))),
            "import must be an object: {interactions?, items?, users?, mode?}");
        foreach (var (key, _) in TrainingInput.Datasets)
        {
            Rule("Import" + char.ToUpperInvariant(key[0]) + key[1..], Condition.And(Present("$.import." + key), Condition.Not(Condition.IsString("$.import." + key))),
                $"import.{key} must be a string: the s3:// location of the {key} CSV");
        }
        Rule("ImportMode", Condition.And(Present("$.import.mode"), Condition.Or(
                Condition.Not(Condition.IsString("$.import.mode")),
                Condition.Not(Condition.Or([.. TrainingInput.ImportModes.Select(m => Condition.StringEquals("$.import.mode", m))])))),
            "import.mode must be " + string.Join(" or ", TrainingInput.ImportModes) + " (Personalize's importMode: FULL replaces the dataset's bulk data, INCREMENTAL appends to it)");
        // Checked for presence and type first: a comparison on a missing or non-string member is a runtime error.
        Rule("OnlineGateExperiment", Condition.And(Present("$.online_gate"), Condition.Or(Absent("$.experiment"), Condition.Not(Condition.IsString("$.experiment")))),
            "online_gate needs experiment: the key of the running experiment the challenger enters");
        Rule("PromotionMetric", Condition.And(Present("$.promote_if"), Condition.Or(
                Absent("$.promote_if.metric"),
                Condition.Not(Condition.IsString("$.promote_if.metric")),
                Condition.Not(Condition.Or([.. TrainingInput.PromotionMetrics.Select(m => Condition.StringEquals("$.promote_if.metric", m))])))),
            "promote_if.metric must be one of " + string.Join(", ", TrainingInput.PromotionMetrics));
        // Any non-negative decimal: the MetricGate Lambda adds it to the served score (ASL's States.MathAdd rounds to integers).
        Rule("MinImprovement", Condition.And(Present("$.promote_if.min_improvement"),
                Condition.Not(Condition.And(Condition.IsNumeric("$.promote_if.min_improvement"), Condition.NumberGreaterThanEquals("$.promote_if.min_improvement", 0)))),
            "promote_if.min_improvement must be a number >= 0 (a new version is promoted when it scores at least served + min_improvement)");
        choice.Otherwise(valid);
        return choice;
    }
}

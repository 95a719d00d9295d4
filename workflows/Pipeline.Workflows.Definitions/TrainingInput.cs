namespace Pipeline.Workflows;

/// <summary>
/// The training machine's input:
/// <c>{dataset_group, recipes[], import?: {interactions?, items?, users?, mode?: FULL|INCREMENTAL}, training_mode?: FULL|UPDATE,
/// promote_if?: {metric?, min_improvement?}, experiment?}</c>. Defaults: training_mode FULL, promote_if.metric
/// <see cref="DefaultMetric"/>, min_improvement 0, import.mode FULL, no import (train on what the datasets hold), no experiment (campaigns
/// are deployed, no variant is re-pointed).
/// </summary>
public static class TrainingInput
{
    public const string DefaultMetric = "normalized_discounted_cumulative_gain_at_10";

    /// <summary>CreateDatasetImportJob's importMode: FULL replaces the dataset's bulk data, INCREMENTAL appends to it.</summary>
    public static readonly string[] ImportModes = ["FULL", "INCREMENTAL"];

    public const string DefaultImportMode = "FULL";

    /// <summary>The offline metrics GetSolutionMetrics reports and the promotion gate can compare.</summary>
    public static readonly string[] PromotionMetrics =
    [
        "coverage",
        "mean_reciprocal_rank_at_25",
        "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25",
        "precision_at_5",
        "precision_at_10",
        "precision_at_25",
    ];

    /// <summary>Dataset types an import may fill: the input's key and Personalize's DatasetType.</summary>
    public static readonly (string Key, string DatasetType)[] Datasets =
    [
        ("interactions", "Interactions"),
        ("items", "Items"),
        ("users", "Users"),
    ];

    /// <summary>The three recipes the default experiment compares.</summary>
    public static readonly string[] DefaultRecipes = ["aws-user-personalization", "aws-sims", "aws-popularity-count"];

    /// <summary>
    /// What the nightly rule starts: retrain the default recipes of the project's dataset group on the data it holds
    /// (events keep flowing into it through PutEvents), FULL, and point the default experiment's variants at the campaigns.
    /// </summary>
    public static IDictionary<string, object> Nightly(string datasetGroup, string experiment) => new Dictionary<string, object>
    {
        ["dataset_group"] = datasetGroup,
        ["recipes"] = DefaultRecipes,
        ["training_mode"] = "FULL",
        ["promote_if"] = new Dictionary<string, object> { ["metric"] = DefaultMetric, ["min_improvement"] = 0 },
        ["experiment"] = experiment,
    };
}

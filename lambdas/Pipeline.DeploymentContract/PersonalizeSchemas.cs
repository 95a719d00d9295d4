namespace Pipeline.DeploymentContract;

/// <summary>
/// The Avro schemas of the datasets, in the JSON form Personalize's CreateSchema takes. Written: the training state machine
/// creates each dataset's schema from them (infra/Pipeline.Infra's ServiceStack passes <see cref="ByDatasetType"/> to
/// TrainingStateMachine, so they are in the synthesized ASL), and Pipeline.Engine's SyntheticDataGenerator writes them
/// next to the CSV files it generates. Read: Personalize (on one machine, Pipeline.Personalize.Local) checks the dataset
/// and the CSV files imported into it against them.
/// </summary>
public static class PersonalizeSchemas
{
    public const string Interactions = """
        {
          "type": "record",
          "name": "Interactions",
          "namespace": "com.amazonaws.personalize.schema",
          "fields": [
            { "name": "USER_ID", "type": "string" },
            { "name": "ITEM_ID", "type": "string" },
            { "name": "TIMESTAMP", "type": "long" },
            { "name": "EVENT_TYPE", "type": "string" },
            { "name": "EVENT_VALUE", "type": ["null", "float"] }
          ],
          "version": "1.0"
        }
        """;

    public const string Items = """
        {
          "type": "record",
          "name": "Items",
          "namespace": "com.amazonaws.personalize.schema",
          "fields": [
            { "name": "ITEM_ID", "type": "string" },
            { "name": "CATEGORY", "type": "string", "categorical": true },
            { "name": "PRICE", "type": "float" },
            { "name": "CREATION_TIMESTAMP", "type": "long" }
          ],
          "version": "1.0"
        }
        """;

    public const string Users = """
        {
          "type": "record",
          "name": "Users",
          "namespace": "com.amazonaws.personalize.schema",
          "fields": [
            { "name": "USER_ID", "type": "string" },
            { "name": "AGE_GROUP", "type": "string", "categorical": true },
            { "name": "MEMBERSHIP", "type": "string", "categorical": true }
          ],
          "version": "1.0"
        }
        """;

    /// <summary>The schema of each dataset type an import may fill, keyed as Personalize names the types.</summary>
    public static IReadOnlyDictionary<string, string> ByDatasetType { get; } = new Dictionary<string, string>
    {
        ["Interactions"] = Interactions,
        ["Items"] = Items,
        ["Users"] = Users,
    };
}

namespace Pipeline.Engine.Datasets;

/// <summary>The Avro schemas of the generated datasets, in the JSON form Personalize's CreateSchema takes.</summary>
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
}

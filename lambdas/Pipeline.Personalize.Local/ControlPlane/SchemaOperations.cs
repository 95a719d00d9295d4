using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

internal sealed class SchemaOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("Schema", OperationTable.Immediate(Create), Describe, List, OperationTable.Immediate(Delete));

    private JsonObject Create(Request request)
    {
        var name = request.Name();
        var schema = request.RequiredString("schema", 20000);
        var domain = request.Enum("domain", "ECOMMERCE", "VIDEO_ON_DEMAND");
        AvroSchema.Parse(schema);
        var arn = context.Arns.Schema(name);
        // Schemas have no lifecycle: usable as soon as they exist.
        Creating.Add(context, s => s.Schemas, arn, _ => new SchemaResource { Name = name, SchemaArn = arn, Schema = schema, Domain = domain });
        return new JsonObject { ["schemaArn"] = arn };
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.Schemas, request.Arn("schemaArn"), "schema");

    private JsonObject List(Request request) =>
        Listing.Page(context, request, "schemas", state => state.Schemas.Values,
            "name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain");

    private JsonObject Delete(Request request)
    {
        var arn = request.Arn("schemaArn");
        context.Store.Write(state =>
        {
            PersonalizeContext.Get(state.Schemas, arn);
            if (state.Datasets.Values.FirstOrDefault(d => d.SchemaArn == arn) is { } dataset)
                throw PersonalizeException.InUse($"The schema {arn} is used by the dataset {dataset.DatasetArn}.");
            state.Schemas.Remove(arn);
        });
        return [];
    }
}

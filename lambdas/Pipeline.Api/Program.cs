using Pipeline.Adapters.Local;
using Pipeline.Api;
using Pipeline.Api.Observability;
using Pipeline.Domain.Recommendations;

// The API on its own (the Lambda's process): stores and models from configuration.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddPipelineJsonConsole();
builder.AddPipelineApi();
if (AwsHosting.IsAwsMode(builder.Configuration))
{
    builder.AddAwsStores();
}
else
{
    builder.Services.AddSqliteStores(builder.Configuration["Pipeline:Database"] ?? "pipeline.db");
}
builder.Services.AddSingleton<IModelRegistry>(new ModelRegistry());

var app = builder.Build();
app.MapPipelineApi();
app.MapSqsPassThrough();
app.Run();

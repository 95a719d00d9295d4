using Pipeline.Adapters.Local;
using Pipeline.Api;
using Pipeline.Api.Observability;
using Pipeline.Domain.Recommendations;

// The API on its own (the Lambda's process): stores and models from configuration.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddPipelineJsonConsole();
if (AwsHosting.IsMetricGateFunction(builder.Configuration))
{
    // The training workflow's metric gate: the same package, only the gate's routes.
    var gate = builder.AddMetricGateFunction().Build();
    gate.MapMetricGateFunction();
    gate.Run();
    return;
}
try
{
    builder.AddPipelineApi();
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Environment.ExitCode = 2;
    return;
}
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

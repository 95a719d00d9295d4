using Pipeline.Api;
using Pipeline.Api.Hosting;
using Pipeline.Api.Observability;

// The package's one entry point, on Lambda (one role per function, PIPELINE_ROLE) and as the API alone.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddPipelineJsonConsole();
var settings = HostSettings.Bind(builder.Configuration);
if (settings.Problems.Count > 0)
{
    Console.Error.WriteLine(settings.ProblemLine);
    return 2;
}
try
{
    builder.ComposeRole(settings).Run();
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
return 0;

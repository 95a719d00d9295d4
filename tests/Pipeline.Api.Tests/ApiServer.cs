using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Local;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests;

/// <summary>The API on real Kestrel, on a free loopback port, over a real SQLite file.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private ApiServer(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
        BaseAddress = new Uri(app.Urls.Single());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public string DatabasePath => Path.Combine(_folder, "pipeline.db");

    public static async Task<ApiServer> StartAsync(ModelRegistry models, Experiment? experiment = null, string? folder = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        folder ??= Directory.CreateTempSubdirectory("pipeline-api-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddPipelineApi();
        builder.Services.AddSqliteStores(Path.Combine(folder, "pipeline.db"));
        builder.Services.AddSingleton<IModelRegistry>(models);
        var app = builder.Build();
        app.MapPipelineApi();
        if (experiment is not null)
        {
            await app.Services.GetRequiredService<IExperimentStore>().UpsertAsync(experiment);
        }
        await app.StartAsync();
        return new ApiServer(app, folder);
    }

    /// <summary>Stops the server but keeps its data folder, for restart tests.</summary>
    public async Task<string> StopAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteDatabase.ReleaseAll();
        return _folder;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

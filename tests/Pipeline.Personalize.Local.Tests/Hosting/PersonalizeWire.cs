using System.Text;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>
/// The local Personalize on real Kestrel over a fresh data folder, and one way to post to it: the JSON 1.1 protocol
/// (<c>X-Amz-Target</c>) when a target is given, the runtime's REST JSON otherwise. Shared by the wire tests.
/// </summary>
public abstract class PersonalizeWire : IAsyncLifetime
{
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "pipeline-personalize-wire-" + Guid.NewGuid().ToString("N"));

    protected PersonalizeServer Server { get; private set; } = null!;

    protected HttpClient Http { get; } = new();

    public async Task InitializeAsync() =>
        Server = await PersonalizeServer.StartAsync(new LocalPersonalizeOptions { DataDirectory = Root, Lifecycle = LifecycleMode.Immediate });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Posts <paramref name="body"/>; the caller disposes the response.</summary>
    protected async Task<(HttpResponseMessage Response, string Text)> SendAsync(string path, string? target, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Endpoint, path))
        {
            Content = new StringContent(body, Encoding.UTF8, target is null ? PersonalizeApi.RestJsonContentType : PersonalizeApi.JsonProtocolContentType),
        };
        if (target is not null) request.Headers.Add("X-Amz-Target", target);
        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}

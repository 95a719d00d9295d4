using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Local;

/// <summary>
/// POSTs each alert's JSON (<see cref="Alert.ToJson"/>) to a URL, as an SNS HTTP(S) subscription would deliver it.
/// A delivery that fails (no answer, non-2xx, timeout) does not fail the workflow, as SNS's Publish succeeds whatever
/// its subscribers do; it is reported through <paramref name="onDeliveryFailure"/> and kept in <see cref="Failures"/>.
/// </summary>
public sealed class WebhookAlertSink(HttpClient http, Uri url, Action<string>? onDeliveryFailure = null) : IAlertSink
{
    private readonly List<string> _failures = [];

    public Uri Url { get; } = url;

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures) return [.. _failures];
        }
    }

    /// <summary>An absolute http or https URL, or null with the reason it is not one.</summary>
    public static Uri? ParseUrl(string text, out string? problem)
    {
        problem = null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        problem = $"'{text}' is not an absolute http:// or https:// URL";
        return null;
    }

    public async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        string? failure;
        try
        {
            using var response = await http.PostAsJsonAsync(Url, (JsonNode)alert.ToJson(), cancellationToken);
            failure = response.IsSuccessStatusCode ? null : $"alert webhook {Url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            failure = $"alert webhook {Url} failed: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"alert webhook {Url} did not answer within {http.Timeout.TotalSeconds:0} s";
        }
        if (failure is null) return;
        lock (_failures) _failures.Add(failure);
        onDeliveryFailure?.Invoke(failure);
    }
}

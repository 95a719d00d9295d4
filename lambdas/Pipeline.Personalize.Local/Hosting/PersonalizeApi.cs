using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;

namespace Pipeline.Personalize.Local.Hosting;

/// <summary>
/// The three Personalize wire protocols on one set of routes: the control plane is JSON 1.1 (POST / with
/// <c>X-Amz-Target: AmazonPersonalize.&lt;Op&gt;</c>); personalize-runtime and personalize-events are REST-JSON by path.
/// None of the three service models has a host prefix, so one <c>--endpoint-url</c> serves all of them.
/// Requests are not signature-checked: any credentials work, as with other local AWS stand-ins.
/// </summary>
public static class PersonalizeApi
{
    public const string JsonProtocolContentType = "application/x-amz-json-1.1";
    public const string RestJsonContentType = "application/json";
    private const string TargetPrefix = "AmazonPersonalize.";

    /// <summary>Registers a <see cref="LocalPersonalize"/> the container owns (and disposes on shutdown).</summary>
    public static IServiceCollection AddLocalPersonalize(this IServiceCollection services, LocalPersonalizeOptions options) =>
        services.AddSingleton(_ => new LocalPersonalize(options));

    /// <summary>Maps the service under <paramref name="prefix"/> (an endpoint URL with that path works with the AWS CLI and SDKs).</summary>
    public static RouteGroupBuilder MapPersonalizeApi(this IEndpointRouteBuilder app, string prefix = "")
    {
        var api = app.MapGroup(prefix);
        api.MapPost("/", ControlPlaneAsync);
        api.MapPost("/recommendations", (HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken) =>
            RespondAsync(http, RestJsonContentType, body => personalize.GetRecommendationsAsync(body, cancellationToken)));
        api.MapPost("/personalize-ranking", (HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken) =>
            RespondAsync(http, RestJsonContentType, body => personalize.GetPersonalizedRankingAsync(body, cancellationToken)));
        api.MapPost("/events", (HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken) =>
            RespondAsync(http, RestJsonContentType, body => personalize.PutEventsAsync(body, cancellationToken)));
        api.MapPost("/items", (HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken) =>
            RespondAsync(http, RestJsonContentType, body => personalize.PutItemsAsync(body, cancellationToken)));
        api.MapPost("/users", (HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken) =>
            RespondAsync(http, RestJsonContentType, body => personalize.PutUsersAsync(body, cancellationToken)));
        return api;
    }

    private static Task<IResult> ControlPlaneAsync(HttpContext http, LocalPersonalize personalize, CancellationToken cancellationToken)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        return RespondAsync(http, JsonProtocolContentType, body =>
            target.StartsWith(TargetPrefix, StringComparison.Ordinal)
                ? personalize.InvokeAsync(target[TargetPrefix.Length..], body, cancellationToken)
                : throw new PersonalizeException(ErrorTypes.UnknownOperation, $"X-Amz-Target '{target}' names no AmazonPersonalize operation."));
    }

    /// <summary>
    /// Bound to loopback, the service answers only requests naming a loopback host: DNS rebinding would otherwise let a
    /// web page on another site reach it from the user's browser. Anything else is an AccessDeniedException.
    /// </summary>
    public static IApplicationBuilder UseLoopbackHostsOnly(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var host = http.Request.Host.Host;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address)))
        {
            await next(http);
            return;
        }
        await Error(http, JsonProtocolContentType, new PersonalizeException("AccessDeniedException",
            "This local service is bound to loopback and answers only requests for localhost, 127.0.0.1 or [::1] (the Host header).")).ExecuteAsync(http);
    });

    private static async Task<IResult> RespondAsync(HttpContext http, string contentType, Func<JsonObject, Task<JsonObject>> operation)
    {
        try
        {
            // A browser sends text/plain (and form types) cross-site without a preflight; the service's own types need one.
            if (!IsJson(http.Request.ContentType, contentType))
            {
                throw new PersonalizeException(ErrorTypes.Serialization, $"The content type must be {contentType}.");
            }
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var request = Request.Parse(await reader.ReadToEndAsync(http.RequestAborted));
            var response = await operation(request.Body);
            return TypedResults.Text(response.ToJsonString(), contentType, Encoding.UTF8, StatusCodes.Status200OK);
        }
        catch (PersonalizeException e)
        {
            return Error(http, contentType, e);
        }
    }

    private static IResult Error(HttpContext http, string contentType, PersonalizeException e)
    {
        // botocore reads the error type from this header (REST-JSON) or from __type (JSON 1.1); both are set.
        http.Response.Headers["x-amzn-ErrorType"] = e.ErrorType;
        var error = new JsonObject { ["__type"] = e.ErrorType, ["message"] = e.Message };
        return TypedResults.Text(error.ToJsonString(), contentType, Encoding.UTF8, StatusCodes.Status400BadRequest);
    }

    // The protocol's own type; the AWS CLI and SDKs send exactly it (charset or not). JSON 1.1 also takes application/json.
    private static bool IsJson(string? requestType, string expected)
    {
        var media = requestType?.Split(';')[0].Trim();
        return string.Equals(media, expected, StringComparison.OrdinalIgnoreCase)
            || string.Equals(media, RestJsonContentType, StringComparison.OrdinalIgnoreCase);
    }
}

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

    private static async Task<IResult> RespondAsync(HttpContext http, string contentType, Func<JsonObject, Task<JsonObject>> operation)
    {
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var request = Request.Parse(await reader.ReadToEndAsync(http.RequestAborted));
            var response = await operation(request.Body);
            return TypedResults.Text(response.ToJsonString(), contentType, Encoding.UTF8, StatusCodes.Status200OK);
        }
        catch (PersonalizeException e)
        {
            // botocore reads the error type from this header (REST-JSON) or from __type (JSON 1.1); both are set.
            http.Response.Headers["x-amzn-ErrorType"] = e.ErrorType;
            var error = new JsonObject { ["__type"] = e.ErrorType, ["message"] = e.Message };
            return TypedResults.Text(error.ToJsonString(), contentType, Encoding.UTF8, StatusCodes.Status400BadRequest);
        }
    }
}

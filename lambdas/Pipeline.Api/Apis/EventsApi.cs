using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;

namespace Pipeline.Api.Apis;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", RecordAsync)
            .WithName("RecordEvent")
            .Accepts<EventsRequestBody>("application/json");
        return app;
    }

    private static async Task<Results<Accepted<EventAcceptedBody>, Accepted<EventsAcceptedBody>, ProblemHttpResult>> RecordAsync(
        HttpRequest request, EventsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.EventsRequestBody, cancellationToken);
        return problem is null ? await handler.RecordAsync(body!, cancellationToken) : problem;
    }
}

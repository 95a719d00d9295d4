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
            .Accepts<EventRequestBody>("application/json");
        return app;
    }

    private static async Task<Results<Accepted<EventAcceptedBody>, ProblemHttpResult>> RecordAsync(
        HttpRequest request, EventsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.EventRequestBody, cancellationToken);
        return problem ?? (Results<Accepted<EventAcceptedBody>, ProblemHttpResult>)await handler.RecordAsync(body!, cancellationToken);
    }
}

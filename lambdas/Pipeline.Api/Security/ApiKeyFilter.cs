using Pipeline.Api.Http;

namespace Pipeline.Api.Security;

/// <summary>Lets a request through when its <c>x-api-key</c> grants the scope: 401 without a known key, 403 with too little.</summary>
public sealed class ApiKeyFilter(ApiKeyScope required) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
        // The console warm-up's own requests, built inside this process (ConsoleWarmUp explains why this is safe): no
        // request read from a socket can carry their mark, so a caller without a key is still refused below.
        if (!keys.Enabled || Apis.ConsoleWarmUp.IsWarmUpRequest(context.HttpContext))
        {
            return next(context);
        }
        var (scope, _) = keys.Identify(context.HttpContext.Request.Headers[ApiKeys.Header]);
        if (scope is null)
        {
            return ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"Send a valid API key in the '{ApiKeys.Header}' header."));
        }
        if (required == ApiKeyScope.Admin && scope != ApiKeyScope.Admin)
        {
            return ValueTask.FromResult<object?>(Problems.Create(StatusCodes.Status403Forbidden, "Forbidden",
                "This endpoint needs an admin API key."));
        }
        return next(context);
    }
}

public static class ApiKeyFilterExtensions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, ApiKeyScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new ApiKeyFilter(scope));
}

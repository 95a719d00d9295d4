using System.Net;
using Pipeline.Api.Http;

namespace Pipeline.Api.Security;

/// <summary>
/// A server bound to loopback answers only requests that name a loopback host. Otherwise a web page on another site
/// can point its own host name at 127.0.0.1 (DNS rebinding) and reach a keyless local stack from the user's browser
/// (<c>Host: evil.example</c> stopping an experiment). Anything else is a 421 problem naming the header.
/// </summary>
public static class LoopbackHosts
{
    public static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public static IApplicationBuilder UseLoopbackHostsOnly(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsLoopbackName(context.Request.Host.Host))
        {
            await Problems.Create(StatusCodes.Status421MisdirectedRequest, "Not a loopback host",
                "This server is bound to loopback and answers only requests for localhost, 127.0.0.1 or [::1] (the Host header).")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}

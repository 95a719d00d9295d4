using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Api.Tests;

internal static class ProblemAssert
{
    /// <summary>Asserts an RFC 7807 400 response whose <c>errors</c> map names the field.</summary>
    public static async Task IsValidationProblem(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {errors}");
    }
}

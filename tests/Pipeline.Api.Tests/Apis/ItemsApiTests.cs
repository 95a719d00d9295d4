using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class ItemsApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    private async Task<ApiServer> StartWithCatalogAsync()
    {
        var registry = models.Registry();
        registry.Publish(models.Similar);
        var server = await ApiServer.StartAsync(registry);
        await server.Services.GetRequiredService<IItemStore>().UpsertAsync([.. models.Items]);
        return server;
    }

    [Fact]
    public async Task GetItem_ReturnsTheCatalogEntry_Or404Problem()
    {
        await using var server = await StartWithCatalogAsync();

        var item = await server.Client.GetFromJsonAsync<JsonElement>("/items/item_00001");
        var missing = await server.Client.GetAsync("/items/no-such-item");

        Assert.Equal("item_00001", item.GetProperty("item_id").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("category").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Similar_ServesSimsNeighboursWithoutTheItemItself()
    {
        await using var server = await StartWithCatalogAsync();

        var body = await server.Client.GetFromJsonAsync<JsonElement>("/items/item_00003/similar?num_results=5");

        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()).ToArray();
        Assert.InRange(ids.Length, 4, 5);
        Assert.DoesNotContain("item_00003", ids);
    }

    [Theory]
    [InlineData("/items/item_00003/similar?num_results=0", HttpStatusCode.BadRequest)]
    [InlineData("/items/no-such-item/similar", HttpStatusCode.NotFound)]
    public async Task Similar_WhenInputInvalid_ReturnsProblem(string url, HttpStatusCode status)
    {
        await using var server = await StartWithCatalogAsync();

        var response = await server.Client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

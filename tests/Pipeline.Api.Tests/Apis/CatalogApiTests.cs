using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Security;
using Pipeline.Domain.Catalog;

namespace Pipeline.Api.Tests.Apis;

public sealed class CatalogApiTests(SampleModels models) : IClassFixture<SampleModels>
{
    [Fact]
    public async Task PutItems_UpsertsTheBatch_AndGetItemReflectsEveryChange()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var first = await PutAsync(server, "/items", """
            {"items":[
              {"item_id":"sku-1","category":"books|fiction","price":12.5,"creation_timestamp":1700000000},
              {"item_id":"sku-2","category":"games","creation_timestamp":"2024-03-01T12:00:00Z"}]}
            """);
        var second = await PutAsync(server, "/items", """{"items":[{"item_id":"sku-1","category":"music","price":3}]}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("upserted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var sku1 = await server.Client.GetFromJsonAsync<JsonElement>("/items/sku-1");
        var sku2 = await server.Client.GetFromJsonAsync<JsonElement>("/items/sku-2");
        Assert.Equal("music", sku1.GetProperty("category").GetString());
        Assert.Equal(3, sku1.GetProperty("price").GetDouble());
        Assert.Equal(JsonValueKind.Null, sku1.GetProperty("created_at").ValueKind); // an upsert replaces the row
        Assert.Equal("games", sku2.GetProperty("category").GetString());
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T12:00:00Z"), sku2.GetProperty("created_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task PutItems_WhenAnyRowIsInvalid_RejectsTheBatchNamingEachField_AndStoresNothing()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var response = await PutAsync(server, "/items", """
            {"items":[{"item_id":"ok-1"},{"category":"x"},{"item_id":"ok-3","price":-1},{"item_id":"ok-1"},{"item_id":"ok-5","creation_timestamp":"yesterday"}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("items[1].item_id", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("items[2].price", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("items[3].item_id", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("items[4].creation_timestamp", out _), errors.ToString());
        Assert.Equal(0, await server.Services.GetRequiredService<IItemStore>().CountAsync());
    }

    [Theory]
    [InlineData("/items", """{"items":[]}""", "items")]
    [InlineData("/items", """{"items":[{"item_id":"a","price":"cheap"}]}""", "items[0].price")]
    [InlineData("/users", """{"users":[{"user_id":"u","attributes":{"AGE":42}}]}""", "users[0].attributes.AGE")]
    [InlineData("/users", """{"users":[{"attributes":{}}]}""", "users[0].user_id")]
    [InlineData("/users", """{}""", "users")]
    public async Task Put_WhenInputInvalid_Returns400NamingTheField(string path, string json, string field)
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        await ProblemAssert.IsValidationProblem(await PutAsync(server, path, json), field);
        Assert.Equal(0, await server.Services.GetRequiredService<IItemStore>().CountAsync());
        Assert.Equal(0, await server.Services.GetRequiredService<IUserStore>().CountAsync());
    }

    [Fact]
    public async Task PutUsers_UpsertsTheirAttributes_AndGetUserReflectsThem()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var response = await PutAsync(server, "/users", """
            {"users":[{"user_id":"u-1","attributes":{"MEMBERSHIP":"gold","AGE_GROUP":"25-34"}},{"user_id":"u-2"}]}
            """);
        var user = await server.Client.GetFromJsonAsync<JsonElement>("/users/u-1");
        var missing = await server.Client.GetAsync("/users/nobody");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gold", user.GetProperty("attributes").GetProperty("MEMBERSHIP").GetString());
        Assert.Equal(2, await server.Services.GetRequiredService<IUserStore>().CountAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task CatalogWrites_NeedAnAdminKey_WhileItemReadsTakeAClientKey()
    {
        var (client, admin) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Admin));
        await using var server = await ApiServer.StartAsync(models.Registry(), settings: new Dictionary<string, string?>
        {
            ["ApiKeys:ClientKeySha256:0"] = ApiKeys.Hash(client),
            ["ApiKeys:AdminKeySha256:0"] = ApiKeys.Hash(admin),
        });
        const string body = """{"items":[{"item_id":"sku-9","category":"books"}]}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(server, "/items", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(server, "/items", body, client)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(server, "/users", """{"users":[{"user_id":"u"}]}""", client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(server, "/items", body, admin)).StatusCode);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/items/sku-9");
        read.Headers.Add(ApiKeys.Header, client);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentsTheCatalogWritesAndRankings()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var document = await server.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/items").TryGetProperty("put", out var putItems));
        Assert.True(paths.GetProperty("/users").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/rankings").TryGetProperty("post", out _));
        Assert.Equal("PutItems", putItems.GetProperty("operationId").GetString());
        Assert.Contains("ItemsUpsertRequestBody", putItems.GetProperty("requestBody").ToString());
    }

    private static Task<HttpResponseMessage> PutAsync(ApiServer server, string path, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add(ApiKeys.Header, key);
        }
        return server.Client.SendAsync(request);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Api.Tests.Hosting;

namespace Pipeline.Api.Tests.Http;

/// <summary>
/// A corpus of malformed requests against every route that takes input, sent to Program.cs on real Kestrel
/// (WebApplicationFactory&lt;Program&gt; with UseKestrel, the API alone over a SQLite file): each one answers a 4xx
/// problem+json (never a 5xx, never an empty body), and every table of the database is byte for byte what it was.
/// </summary>
public sealed class MalformedRequestFuzzTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-api-fuzz-").FullName;
    private ProgramHost _program = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _program = new ProgramHost(new Dictionary<string, string?>
        {
            ["environment"] = "Production", // as deployed: binding failures are not thrown to a developer page
            ["Pipeline:Database"] = Path.Combine(_folder, "pipeline.db"),
            // The port goes through the urls setting: UseKestrel(port) rewrites the server's addresses after the
            // deferred host may already have started it, which failed intermittently ("cannot be modified after the
            // server has started").
            ["urls"] = "http://127.0.0.1:0",
        });
        _program.UseKestrel();
        _program.StartServer();
        var address = _program.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        // Something to change: an experiment the experiment routes act on, an item and a user.
        await Send(HttpMethod.Post, "/experiments", ValidExperiment, expectSuccess: true);
        await Send(HttpMethod.Put, "/items", """{"items":[{"item_id":"item_1","category":"books","price":3}]}""", expectSuccess: true);
        await Send(HttpMethod.Put, "/users", """{"users":[{"user_id":"user_1","attributes":{"tier":"gold"}}]}""", expectSuccess: true);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _program.DisposeAsync();
        SqliteDatabase.ReleaseAll();
        Directory.Delete(_folder, recursive: true);
    }

    private const string ValidExperiment = """{"key":"default","variants":[{"key":"a","weight":0.5,"recipe":"aws-popularity-count"},{"key":"b","weight":0.5,"recipe":"aws-sims"}]}""";
    private const string Event = """{"event_id":"e1","user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1"}""";

    private static readonly (HttpMethod Method, string Path)[] BodyRoutes =
    [
        (HttpMethod.Post, "/events"), (HttpMethod.Post, "/recommendations"), (HttpMethod.Post, "/rankings"),
        (HttpMethod.Put, "/items"), (HttpMethod.Put, "/users"), (HttpMethod.Post, "/experiments"),
        (HttpMethod.Put, "/experiments/default"), (HttpMethod.Put, "/experiments/default/weights"),
    ];

    /// <summary>Bodies no route accepts: broken syntax, ambiguous or undecodable JSON, wrong shapes and types, extremes.</summary>
    private static readonly string[] AnyRoute =
    [
        "", "{", "}", "[]", "null", "123", "\"text\"", "true", "{\"a\":}", "{'key':'x'}", "{\"key\":\"x\",}", "{\"a\":1}{\"b\":2}",
        "{\"x\":NaN}", "\u0000\u0001", "\ufeff", "{\"user_id\":\"\\ud800\"}", "{\"\\udc00\":1}",
        "{\"user_id\":1,\"key\":[],\"events\":{},\"items\":\"x\",\"users\":7,\"variants\":true,\"weights\":[],\"input_list\":\"x\"}",
        "{\"num_results\":1e400,\"user_id\":\"u\"}",
        new string('[', 5000) + new string(']', 5000),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201),
        "{\"user_id\":\"" + new string('a', 300_000) + "\"}",
    ];

    /// <summary>Bodies of the right shape with one thing wrong, per route: the checks that guard what is stored.</summary>
    private static readonly (string Path, string Body)[] OneThingWrong =
    [
        ("/events", """{"events":[]}"""),
        ("/events", "{\"events\":[" + string.Join(",", Enumerable.Repeat(Event, 1001)) + "]}"),
        ("/events", $$"""{"events":[{{Event}}],"events":[{{Event}}]}"""),
        ("/events", """{"events":[{"event_id":"e1","event_id":"e2","user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1"}]}"""),
        ("/events", $$"""{"events":[{{Event}},{{Event}}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","session_id":"s1"}]}"""),
        ("/events", """{"events":[{"user_id":"","item_id":"item_1","event_type":"click","session_id":"s1"}]}"""),
        ("/events", """{"events":[{"user_id":"u/1","item_id":"item_1","event_type":"click","session_id":"s1"}]}"""),
        ("/events", """{"events":[{"user_id":"u\u00011","item_id":"item_1","event_type":"click","session_id":"s1"}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"a/b","event_type":"click","session_id":"s1"}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1","timestamp":"1/2/2020"}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1","timestamp":"9999-01-01T00:00:00Z"}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1","timestamp":-5}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"purchase","session_id":"s1","event_value":1e200}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"purchase","session_id":"s1","event_value":-1}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"purchase","session_id":"s1","event_value":"12"}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1","recommendation_id":7}]}"""),
        ("/events", """{"events":[{"user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1","properties":[]}]}"""),
        ("/recommendations", """{"user_id":"u1","num_results":0}"""),
        ("/recommendations", """{"user_id":"u1","num_results":-1}"""),
        ("/recommendations", """{"user_id":"u1","num_results":100000}"""),
        ("/recommendations", """{"user_id":"u1","num_results":"abc"}"""),
        ("/recommendations", """{"user_id":"u1","user_id":"u2"}"""),
        ("/recommendations", """{"user_id":"u1","filter":"INCLUDE"}"""),
        ("/recommendations", """{"user_id":"u1","filter":"INCLUDE ItemID WHERE Items.CATEGORY IN ($C)"}"""),
        ("/recommendations", """{"user_id":"u1","filter_values":{"C":"\"x\""}}"""),
        ("/recommendations", """{"user_id":"u1","context":[]}"""),
        ("/recommendations", """{"user_id":"u1","item_id":"no-such-item"}"""),
        ("/recommendations", """{"num_results":5}"""),
        ("/rankings", """{"user_id":"u1"}"""),
        ("/rankings", """{"user_id":"u1","input_list":[1,2]}"""),
        ("/rankings", """{"user_id":"u1","input_list":[]}"""),
        ("/rankings", """{"user_id":"u1","input_list":["a"],"input_list":["b"]}"""),
        ("/items", """{"items":[]}"""),
        ("/items", """{"items":[{"item_id":""}]}"""),
        ("/items", """{"items":[{"item_id":"a/b"}]}"""),
        ("/items", """{"items":[{"item_id":"a\tb"}]}"""),
        ("/items", """{"items":[{"item_id":"x","price":"cheap"}]}"""),
        ("/items", """{"items":[{"item_id":"x","price":1,"price":2}]}"""),
        ("/items", """{"items":[{"item_id":"x","creation_timestamp":"yesterday"}]}"""),
        ("/items", """{"items":[{"item_id":"x"},{"item_id":"y","category":7}]}"""),
        ("/users", """{"users":[{"user_id":""}]}"""),
        ("/users", """{"users":[{"user_id":"a/b"}]}"""),
        ("/users", """{"users":[{"user_id":"x","attributes":"gold"}]}"""),
        ("/users", """{"users":[{"user_id":"x","user_id":"y"}]}"""),
        ("/experiments", """{"key":"new","variants":[{"key":"a","weight":1,"recipe":"no-such-recipe"}]}"""),
        ("/experiments", """{"key":"new","variants":[{"key":"a","weight":1,"recipe":"aws-sims","campaign":"not-an-arn"}]}"""),
        ("/experiments", "{\"key\":\"new\",\"seed\":\"" + new string('s', 200_000) + "\",\"variants\":[{\"key\":\"a\",\"weight\":1,\"recipe\":\"aws-sims\"}]}"),
        ("/experiments", """{"key":"a/b","variants":[{"key":"a","weight":1,"recipe":"aws-sims"}]}"""),
        ("/experiments", """{"key":"n\u0000w","variants":[{"key":"a","weight":1,"recipe":"aws-sims"}]}"""),
        ("/experiments", """{"key":"new","key":"other","variants":[{"key":"a","weight":1,"recipe":"aws-sims"}]}"""),
        ("/experiments", """{"key":"new","variants":[{"key":"a","weight":0.5,"weight":1,"recipe":"aws-sims"}]}"""),
        ("/experiments", """{"key":"new","coverage":2,"variants":[{"key":"a","weight":1,"recipe":"aws-sims"}]}"""),
        ("/experiments", """{"key":"new","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"}]}"""),
        ("/experiments", ValidExperiment),
        ("/experiments/default", """{"key":"other"}"""),
        ("/experiments/default", """{"coverage":-1}"""),
        ("/experiments/default", """{"variants":[{"key":"a","weight":1,"recipe":"no-such-recipe"}]}"""),
        ("/experiments/default/weights", """{"weights":{"a":0.5,"b":0.5,"a":1}}"""),
        ("/experiments/default/weights", """{"weights":{"a":0.7,"b":0.7}}"""),
        ("/experiments/default/weights", """{"weights":{"a":"half","b":0.5}}"""),
        ("/experiments/default/weights", """{"weights":{"a":0.5,"b":0.5},"reassign":"yes"}"""),
    ];

    /// <summary>Malformed paths and query strings.</summary>
    private static readonly (HttpMethod Method, string Path)[] BadUrls =
    [
        (HttpMethod.Get, "/items/%00"), (HttpMethod.Get, "/items/no-such-item"), (HttpMethod.Get, "/items/item_1/similar?num_results=abc"),
        (HttpMethod.Get, "/items/item_1/similar?num_results=-3"), (HttpMethod.Get, "/users/%00"), (HttpMethod.Get, "/users/%2F..%2F"),
        (HttpMethod.Get, "/experiments/%00"), (HttpMethod.Get, "/experiments/nope/results"), (HttpMethod.Post, "/experiments/nope/start"),
        (HttpMethod.Post, "/experiments/nope/stop"), (HttpMethod.Get, "/items/" + new string('x', 20_000)),
        (HttpMethod.Delete, "/experiments/default"), (HttpMethod.Patch, "/items"), (HttpMethod.Get, "/no-such-route"),
    ];

    [Fact]
    public async Task EveryMalformedRequest_Answers4xxProblem_AndStoresNothing()
    {
        var before = await SnapshotAsync();
        var failures = new List<string>();
        var sent = 0;

        foreach (var (method, path) in BodyRoutes)
        {
            foreach (var body in AnyRoute)
            {
                sent++;
                Check(failures, $"{method} {path} {Shorten(body)}", await Send(method, path, body));
            }
        }
        foreach (var (path, body) in OneThingWrong)
        {
            sent++;
            var method = BodyRoutes.Single(r => r.Path == path).Method;
            Check(failures, $"{method} {path} {Shorten(body)}", await Send(method, path, body));
        }
        foreach (var (method, path) in BadUrls)
        {
            sent++;
            Check(failures, $"{method} {Shorten(path)}", await Send(method, path, null));
        }
        foreach (var (method, path) in BodyRoutes)
        {
            sent += 2;
            Check(failures, $"{method} {path} as text/plain", await Send(method, path, "{}", "text/plain"));
            Check(failures, $"{method} {path} invalid UTF-8", await SendBytes(method, path, [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests:\n" + string.Join('\n', failures.Take(60)));
        Assert.True(sent >= 200, $"only {sent} requests");
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>
    /// Issue #18 item 8's named bad inputs, each with the field its problem's <c>errors</c> must name (a key equal to it,
    /// or holding it, as <c>variants[0].recipe</c> holds <c>recipe</c>).
    /// </summary>
    public static readonly TheoryData<string, string, string?, string> NamedBadInputs = new()
    {
        { "GET", "/items/item_1/similar?num_results=abc", null, "num_results" },
        { "POST", "/events", $$"""{"events":[{{Event}},{{Event}}]}""", "events[1].event_id" },
        { "POST", "/events", """{"events":[{"event_id":"e1","event_id":"e2","user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1"}]}""", "event_id" },
        { "PUT", "/items", """{"items":[{"item_id":"a/b"}]}""", "item_id" },
        { "PUT", "/items", """{"items":[{"item_id":"a\tb"}]}""", "item_id" },
        { "PUT", "/users", """{"users":[{"user_id":"a/b"}]}""", "user_id" },
        { "PUT", "/users", """{"users":[{"user_id":"a\u0001b"}]}""", "user_id" },
        { "POST", "/events", """{"events":[{"user_id":"u/1","item_id":"item_1","event_type":"click","session_id":"s1"}]}""", "user_id" },
        { "POST", "/events", """{"events":[{"user_id":"u1","item_id":"a\u0000b","event_type":"click","session_id":"s1"}]}""", "item_id" },
        { "GET", "/items/%00", null, "path" },
        { "POST", "/experiments", TwoArms("""{"key":"b","weight":0.5,"recipe":"no-such-recipe"}"""), "variants[1].recipe" },
        { "POST", "/experiments", TwoArms("""{"key":"b","weight":0.5,"recipe":"aws-sims","campaign":"not-an-arn"}"""), "variants[1].campaign" },
        { "POST", "/experiments", TwoArms("""{"key":"b","weight":0.5,"recipe":"aws-sims"}""", $",\"seed\":\"{new string('s', 200_000)}\""), "seed" },
        { "PUT", "/experiments/default/weights", """{"weights":{"a":0.5,"b":0.5,"a":1}}""", "weights.a" },
    };

    private static string TwoArms(string secondVariant, string more = "") =>
        $$"""{"key":"named-bad","variants":[{"key":"a","weight":0.5,"recipe":"aws-sims"},{{secondVariant}}]{{more}}}""";

    [Theory]
    [MemberData(nameof(NamedBadInputs))]
    public async Task EachNamedBadInput_AnswersAProblemNamingTheField_AndStoresNothing(string method, string path, string? body, string field)
    {
        var before = await SnapshotAsync();

        var (status, mediaType, text) = await Send(new HttpMethod(method), path, body);

        Assert.True((int)status is >= 400 and < 500, $"{method} {path}: {(int)status} {text}");
        Assert.Equal("application/problem+json", mediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(errors.Any(name => name == field || name.EndsWith("." + field, StringComparison.Ordinal)),
            $"{method} {path}: errors should name '{field}': {string.Join(", ", errors)}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task HeadOnEveryRoute_AnswersWithoutABodyOrA5xx_AndStoresNothing()
    {
        var before = await SnapshotAsync();
        var paths = BodyRoutes.Select(r => r.Path).Concat(BadUrls.Select(u => u.Path)).Concat(["/health", "/experiments", "/items/item_1"]).Distinct();
        var failures = new List<string>();

        foreach (var path in paths)
        {
            using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            var body = await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode >= 500 || body.Length > 0)
            {
                failures.Add($"HEAD {Shorten(path)} -> {(int)response.StatusCode}, {body.Length} bytes");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>
    /// The API speaks HTTP/1.1 on cleartext (API Gateway and the Web Adapter do too): an HTTP/2 client with prior
    /// knowledge gets no handshake, so its body never reaches a handler, and the port keeps serving HTTP/1.1.
    /// </summary>
    [Fact]
    public async Task Http2WithPriorKnowledge_IsRefusedAtTheHandshake_StoresNothing_AndHttp11KeepsServing()
    {
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_http.BaseAddress!, "/events"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(EventBody, Encoding.UTF8, "application/json"),
        };
        using var http2 = new HttpClient();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http2.SendAsync(request));

        Assert.Contains("HTTP/2", refused.Message);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
    }

    private const string EventBody = """{"events":[{"event_id":"kestrel-1","user_id":"u1","item_id":"item_1","event_type":"click","session_id":"s1"}]}""";

    /// <summary>Requests Kestrel refuses itself, before any middleware: the raw request, the status, the field the answer names.</summary>
    public static readonly TheoryData<string, string, int, string> RefusedByKestrel = new()
    {
        { "NUL in the path", "GET /items/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "path" },
        { "NUL in the path of an event post", Post("/events%00", EventBody), 400, "path" },
        { "request line over the limit", $"GET /items/{new string('x', 20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414, "request_line" },
        { "broken request line", "GARBAGE\r\n\r\n", 400, "request_line" },
        { "unknown HTTP version", "GET /items HTTP/9.9\r\nHost: localhost\r\n\r\n", 505, "request_line" },
        { "headers over the limit", Post("/events", EventBody, $"X-Big: {new string('b', 40_000)}\r\n"), 431, "headers" },
        { "too many headers", Post("/events", EventBody, string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))), 431, "headers" },
        { "header without a colon", Post("/events", EventBody, "NoColonHere\r\n"), 400, "headers" },
        { "no Host header", "GET /items/item_1 HTTP/1.1\r\n\r\n", 400, "headers" },
        { "HTTP/1.0 post without a length", $"POST /events HTTP/1.0\r\nContent-Type: application/json\r\n\r\n{EventBody}", 400, "request" },
    };

    private static string Post(string path, string body, string extraHeaders = "") =>
        $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    [Theory]
    [MemberData(nameof(RefusedByKestrel))]
    public async Task RequestsKestrelRefuses_AnswerProblemNamingTheField_AndStoreNothing(string what, string request, int status, string field)
    {
        var before = await SnapshotAsync();

        var answer = await RawHttp.SendAsync(_http.BaseAddress!, request);

        Assert.True(answer.Status == status, $"{what}: {answer.Status} {answer.Body}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: errors should name '{field}': {answer.Body}");
        Assert.Equal(before, await SnapshotAsync());
    }

    private static void Check(List<string> failures, string request, (HttpStatusCode Status, string? MediaType, string Text) answer)
    {
        var status = (int)answer.Status;
        var problem = status >= 500 ? "5xx"
            : status < 400 ? "accepted"
            : answer.MediaType != "application/problem+json" ? $"not a problem ({answer.MediaType ?? "no body"})"
            : null;
        if (problem is not null)
        {
            failures.Add($"{request} -> {status} {problem}: {Shorten(answer.Text)}");
        }
    }

    private Task<(HttpStatusCode, string?, string)> Send(HttpMethod method, string path, string? body, string mediaType = "application/json") =>
        SendAsync(method, path, body is null ? null : new StringContent(body, Encoding.UTF8, mediaType));

    private Task<(HttpStatusCode, string?, string)> SendBytes(HttpMethod method, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return SendAsync(method, path, content);
    }

    private async Task Send(HttpMethod method, string path, string body, bool expectSuccess)
    {
        var (status, _, text) = await Send(method, path, body);
        Assert.True(!expectSuccess || (int)status < 300, $"{method} {path}: {(int)status} {text}");
    }

    private async Task<(HttpStatusCode, string?, string)> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every row of every table, hashed: what a rejected request must leave as it was.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "pipeline.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var lines = new List<string>();
        foreach (var table in tables)
        {
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await rows.ExecuteReaderAsync();
            var hashes = new List<string>();
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                hashes.Add(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', values)))));
            }
            hashes.Sort(StringComparer.Ordinal);
            lines.Add($"{table}: {hashes.Count} rows {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', hashes))))}");
        }
        return string.Join('\n', lines);
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}

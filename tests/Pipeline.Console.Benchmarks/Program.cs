using Pipeline.Console.Benchmarks;

// dotnet run -c Release --project tests/Pipeline.Console.Benchmarks -- [--url URL] [--api-key KEY] [--rounds N] [--scripts on|off]
// Without --url it starts `pipeline up` on the sample data and measures once the first import's training has ended.
var options = FirstPaintOptions.Parse(args);
if (options is null)
{
    System.Console.Error.WriteLine("usage: [--url URL] [--api-key KEY] [--rounds N (1-100)] [--scripts on|off]");
    return 2;
}
return await FirstPaintBenchmark.RunAsync(options, System.Console.Out);

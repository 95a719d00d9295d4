using BenchmarkDotNet.Running;
using Pipeline.Engine.Benchmarks.Probes;

// dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- --filter '*'      (BenchmarkDotNet)
// dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- latency [--items N] [--requests N]
// dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- load [--items N] [--users N] [--interactions N]
// dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- ease-fit [--items 9000]   (see ease-vs-sgemm.sh)
try
{
    return args.FirstOrDefault() switch
    {
        "latency" => LatencyProbe.Run(new ProbeArguments(args[1..])),
        "load" => ModelLoadProbe.Run(new ProbeArguments(args[1..])),
        "ease-fit" => EaseFitProbe.Run(new ProbeArguments(args[1..])),
        _ => RunBenchmarks(args),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Pipeline.Engine.Benchmarks.ScoringBenchmarks).Assembly).Run(args);
    return 0;
}

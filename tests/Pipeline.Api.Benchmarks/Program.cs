using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Pipeline.Api.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Pipeline.Api.Benchmarks.EventIngestionBenchmarks).Assembly).Run(args);

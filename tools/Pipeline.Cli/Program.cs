using Pipeline.Cli;

return await PipelineCommandLine.InvokeAsync(args);

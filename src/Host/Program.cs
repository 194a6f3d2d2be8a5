using Pipeline.Host.Cli;

return await PipelineCli.RunAsync(args);

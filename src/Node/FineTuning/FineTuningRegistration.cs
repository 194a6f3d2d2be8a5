using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Pipeline.Node.Hosting;
using Pipeline.Node.Pretraining;

namespace Pipeline.Node.FineTuning;

public static class FineTuningRegistration
{
    /// <summary>The fine-tuning worker (FineTune:*), its run control and the base-model builder; the worker runs on servers only.</summary>
    public static IHostApplicationBuilder AddFineTuning(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.AddSettings<FineTuneOptions>(FineTuneOptions.Section);
        builder.Services.AddSingleton<FineTuneQueue>();
        builder.Services.AddSingleton<RunControl>();
        builder.Services.AddSingleton<RunAftermath>();
        builder.Services.AddSingleton<FineTuneRunner>();
        builder.Services.AddSingleton<EpochCheckpointWriter>();
        builder.Services.AddSingleton<BaseModelBuilder>();
        if (role == HostRole.Server)
            builder.Services.AddSingleton<Bus.IRefusalNotice<Pipeline.Contracts.Messages.StartFineTune>, StartFineTuneRefusalNotice>();
        builder.Services.AddSingleton<BaseModelLocator>();
        builder.Services.TryAddSingleton<ITrainingProgressSink, LoggingProgressSink>();
        if (role == HostRole.Server)
            builder.Services.AddHostedService<FineTuneWorker>();
        return builder;
    }
}

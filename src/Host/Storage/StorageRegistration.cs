using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Hosting;
using Pipeline.Host.Pretraining;

namespace Pipeline.Host.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Storage:* and, on a server (the role that acts on files), the validators that keep every path a message names
    /// inside those folders. Clients only display what servers report, so they take the servers' paths as given.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineStorage(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        builder.Services.AddSingleton<StorageRoots>();
        if (role != HostRole.Server)
            return builder;
        builder.Services.AddHostedService<StorageRootsReport>();
        builder.Services.AddSingleton<IValidator<StartFineTune>, StartFineTunePathsValidator>();
        builder.Services.AddSingleton<IValidator<EpochCompleted>, EpochCompletedPathsValidator>();
        builder.Services.AddSingleton<IValidator<CheckpointSaved>, CheckpointSavedPathsValidator>();
        builder.Services.AddSingleton<IValidator<CheckpointCompressed>, CheckpointCompressedPathsValidator>();
        builder.Services.AddSingleton<IValidator<FineTuneCompleted>, FineTuneCompletedPathsValidator>();
        return builder;
    }

    /// <summary>Lets this process use a folder its own command line named (see CommandLineFolder).</summary>
    public static IHostApplicationBuilder TrustCommandLineFolder(this IHostApplicationBuilder builder, string path, bool holdsCheckpoints)
    {
        builder.Services.AddSingleton(new CommandLineFolder(Path.GetFullPath(path), holdsCheckpoints));
        return builder;
    }

    /// <summary>
    /// An in-process run's own folders: its runs folder holds checkpoints; its base model folder and data set file's
    /// folder are read. Corpus names and "base" name no folder.
    /// </summary>
    public static IHostApplicationBuilder TrustCommandLineFolders(this IHostApplicationBuilder builder, StartFineTune request)
    {
        builder.TrustCommandLineFolder(request.RunsDirectory, holdsCheckpoints: true);
        if (!string.Equals(request.BaseModel, BaseModelLocator.LocalBase, StringComparison.OrdinalIgnoreCase))
            builder.TrustCommandLineFolder(request.BaseModel, holdsCheckpoints: false);
        foreach (var dataset in new[] { request.Dataset, request.ValidationDataset })
            if (dataset is not null && File.Exists(dataset))
                builder.TrustCommandLineFolder(Path.GetDirectoryName(Path.GetFullPath(dataset))!, holdsCheckpoints: false);
        return builder;
    }
}

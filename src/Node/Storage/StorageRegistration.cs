using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Hosting;
using Pipeline.Node.Pretraining;

namespace Pipeline.Node.Storage;

public static class StorageRegistration
{
    private const string ForgetterName = "run-forgetter";

    /// <summary>
    /// Storage:* and, on a server (the role that acts on files), the validators that keep every path a message names
    /// inside those folders. Clients only display what servers report, so they take the servers' paths as given.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineStorage(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.AddSettings<StorageOptions>(StorageOptions.Section);
        builder.Services.AddSingleton<StorageRoots>();
        if (role != HostRole.Server)
            return builder;
        builder.Services.AddHostedService<StorageRootsReport>();
        // The run-forgetter writes unlearned versions of runs in its configured folder and announces them: this node
        // must accept its own announcements, wherever the operator put that folder.
        if (builder.Configuration[$"Plugins:Settings:{ForgetterName}:RunsDirectory"] is { Length: > 0 } forgetterRuns)
            builder.Services.AddSingleton(new TrustedFolder(Path.GetFullPath(forgetterRuns), HoldsCheckpoints: true));
        builder.Services.AddSingleton<IValidator<StartFineTune>, StartFineTunePathsValidator>();
        builder.Services.AddSingleton<IValidator<EpochCompleted>, EpochCompletedPathsValidator>();
        builder.Services.AddSingleton<IValidator<CheckpointSaved>, CheckpointSavedPathsValidator>();
        builder.Services.AddSingleton<IValidator<CheckpointCompressed>, CheckpointCompressedPathsValidator>();
        builder.Services.AddSingleton<IValidator<FineTuneCompleted>, FineTuneCompletedPathsValidator>();
        return builder;
    }

    /// <summary>Lets this process use a folder its own command line named (see TrustedFolder).</summary>
    public static IHostApplicationBuilder TrustTrustedFolder(this IHostApplicationBuilder builder, string path, bool holdsCheckpoints)
    {
        builder.Services.AddSingleton(new TrustedFolder(Path.GetFullPath(path), holdsCheckpoints));
        return builder;
    }

    /// <summary>
    /// An in-process run's own folders: its runs folder holds checkpoints; its base model folder and data set file's
    /// folder are read. Corpus names and "base" name no folder.
    /// </summary>
    public static IHostApplicationBuilder TrustTrustedFolders(this IHostApplicationBuilder builder, StartFineTune request)
    {
        builder.TrustTrustedFolder(request.RunsDirectory, holdsCheckpoints: true);
        if (!string.Equals(request.BaseModel, BaseModelLocator.LocalBase, StringComparison.OrdinalIgnoreCase))
            builder.TrustTrustedFolder(request.BaseModel, holdsCheckpoints: false);
        foreach (var dataset in new[] { request.Dataset, request.ValidationDataset })
            if (dataset is not null && File.Exists(dataset))
                builder.TrustTrustedFolder(Path.GetDirectoryName(Path.GetFullPath(dataset))!, holdsCheckpoints: false);
        return builder;
    }
}

using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>A way of choosing and removing a ResNet's filters. The input network is left as it was.</summary>
public interface IFilterPruner
{
    string Name { get; }

    FilterPruningOutcome Prune(ResNet model, FilterPruningData data, FilterPruningOptions options, Action<string>? progress = null,
        CancellationToken cancellationToken = default);
}

using System.Globalization;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// The semantic-clusters plugin's settings (Plugins:Settings:semantic-clusters, bound by the host). The autoencoder's widths default to
/// 64-64-256 with an 8-unit code instead of DEC/DCN's 500-500-2000-10: a run's train sample holds some 64 records, and
/// a network with millions of weights would only memorise them. Clustering settings (everything but Enabled, the
/// memorisation cut, BatchSize and Device) are part of the cache key, so changing one recomputes the clusters.
/// </summary>
public sealed record SemanticClusterSettings
{
    /// <summary>Opt-in: the plugin costs a second memorisation decode of the train sample each epoch.</summary>
    public bool Enabled { get; init; }

    /// <summary>k, the number of clusters; at most the train sample's record count.</summary>
    public int Clusters { get; init; } = 4;

    /// <summary>Epochs of reconstruction-only pretraining of the autoencoder.</summary>
    public int PretrainEpochs { get; init; } = 50;

    /// <summary>E: network epochs per round of the alternation, with assignments and centroids fixed.</summary>
    public int EpochsPerRound { get; init; } = 5;

    /// <summary>λ: weight of the clustering term ‖h(x) − c‖² against reconstruction.</summary>
    public double Lambda { get; init; } = 0.1;

    /// <summary>The most rounds of the alternation (it stops earlier once no assignment changes).</summary>
    public int Rounds { get; init; } = 20;

    /// <summary>Adam's learning rate, in pretraining and in the alternation.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The encoder's hidden widths, comma-separated (the decoder mirrors them).</summary>
    public string Hidden { get; init; } = "64,64,256";

    /// <summary><see cref="Hidden"/> as numbers.</summary>
    public IReadOnlyList<int> HiddenWidths =>
        Hidden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => int.TryParse(w, CultureInfo.InvariantCulture, out var width) ? width : 0).ToList();

    /// <summary>The code's width; at most the embedding's width (the base model's hidden size).</summary>
    public int Latent { get; init; } = 8;

    /// <summary>Seeds the autoencoder's initial weights, its mini-batch order and k-means++.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many words label each cluster.</summary>
    public int TopTerms { get; init; } = 5;

    /// <summary>The memorisation cut and decode batch, as the memorisation plugin's (keep them equal to compare rates).</summary>
    public int PrefixTokens { get; init; } = new MemorisationSettings().PrefixTokens;

    public int SuffixTokens { get; init; } = new MemorisationSettings().SuffixTokens;

    public int BatchSize { get; init; } = new MemorisationSettings().BatchSize;

    /// <summary>The memorisation settings these make.</summary>
    public MemorisationSettings Memorisation => new() { PrefixTokens = PrefixTokens, SuffixTokens = SuffixTokens, BatchSize = BatchSize };

    /// <summary>Where the models run (auto|cpu|cuda); the autoencoder, small, always runs on the CPU.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Mini-batch of the autoencoder's training (a fixed choice: a sample of ~64 records is two batches).</summary>
    public const int AutoencoderBatchSize = 32;

    public void Validate()
    {
        if (Clusters < 1) throw new ArgumentException("Clusters must be at least 1");
        if (PretrainEpochs < 0) throw new ArgumentException("PretrainEpochs must not be negative");
        if (EpochsPerRound < 1) throw new ArgumentException("EpochsPerRound must be at least 1");
        if (!double.IsFinite(Lambda) || Lambda < 0) throw new ArgumentException("Lambda must be a finite number of at least 0");
        if (Rounds < 1) throw new ArgumentException("Rounds must be at least 1");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) throw new ArgumentException("LearningRate must be a positive number");
        if (HiddenWidths.Count == 0 || HiddenWidths.Any(w => w < 1)) throw new ArgumentException("Hidden must list one or more widths of at least 1 (e.g. \"64,64,256\")");
        if (Latent < 1) throw new ArgumentException("Latent must be at least 1");
        if (TopTerms < 1) throw new ArgumentException("TopTerms must be at least 1");
        Memorisation.Validate();
    }

    /// <summary>The settings that decide the clusters, as the cache records them.</summary>
    public string ClusteringKey() => string.Create(CultureInfo.InvariantCulture,
        $"clusters={Clusters};pretrain_epochs={PretrainEpochs};epochs_per_round={EpochsPerRound};lambda={Lambda:R};rounds={Rounds};"
        + $"learning_rate={LearningRate:R};hidden={string.Join(",", HiddenWidths)};latent={Latent};seed={Seed};top_terms={TopTerms}");

}

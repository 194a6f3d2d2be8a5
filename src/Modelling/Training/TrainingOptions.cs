using Pipeline.Modelling.Models;

namespace Pipeline.Modelling.Training;

/// <summary>Hyper-parameters of a fine-tuning run. Defaults are the usual small-model fine-tuning choices.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 16;
    /// <summary>Tokens per packed row (see <see cref="SequencePacker"/>).</summary>
    public int ContextLength { get; init; } = 128;
    /// <summary>Peak learning rate, reached at the end of warm-up.</summary>
    public double LearningRate { get; init; } = 5e-4;
    /// <summary>AdamW's decoupled decay, applied to matrices and embeddings; biases and layer norms are not decayed.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Warm-up as a share of all optimizer steps of the run; ignored when <see cref="WarmupSteps"/> is set.</summary>
    public double WarmupFraction { get; init; } = 0.1;
    public int? WarmupSteps { get; init; }
    /// <summary>The cosine decay ends at this share of the peak learning rate.</summary>
    public double MinLearningRateFraction { get; init; } = 0.1;
    /// <summary>Global L2 norm the gradients are clipped to; 0 or less turns clipping off.</summary>
    public double ClipNorm { get; init; } = 1.0;
    public int Seed { get; init; }
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;
    /// <summary>libtorch intra-op threads (torch.set_num_threads); 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException("Epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentException("BatchSize must be at least 1");
        if (ContextLength < 2) throw new ArgumentException("ContextLength must be at least 2");
        if (LearningRate <= 0) throw new ArgumentException("LearningRate must be positive");
        if (WarmupFraction is < 0 or > 1) throw new ArgumentException("WarmupFraction must lie in [0, 1]");
        if (WarmupSteps < 0) throw new ArgumentException("WarmupSteps must not be negative");
        if (MinLearningRateFraction is < 0 or > 1) throw new ArgumentException("MinLearningRateFraction must lie in [0, 1]");
        if (Threads < 0) throw new ArgumentException("Threads must not be negative");
    }
}

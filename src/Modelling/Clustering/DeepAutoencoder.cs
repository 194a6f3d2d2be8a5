using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// The fully connected autoencoder of DEC and DCN: d–500–500–2000–10 with ReLU between layers and a linear code, and
/// its mirror as the decoder (linear output). Widths are options, so tests and small data can use narrower ones.
/// </summary>
public sealed class DeepAutoencoder : Module<Tensor, Tensor>
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public DeepAutoencoder(int inputs, IReadOnlyList<int>? hidden = null, int latent = 10) : base(nameof(DeepAutoencoder))
    {
        Hidden = (hidden ?? [500, 500, 2000]).ToArray();
        var widths = new[] { inputs }.Concat(Hidden).Append(latent).ToArray();
        Inputs = inputs;
        Latent = latent;
        encoder = Stack(widths);
        decoder = Stack(widths.Reverse().ToArray());
        RegisterComponents();
    }

    public int Inputs { get; }
    public IReadOnlyList<int> Hidden { get; }
    public int Latent { get; }

    /// <summary>
    /// A network of the same shape with a copy of these weights: every method of a comparison starts from the same
    /// pretrained autoencoder.
    /// </summary>
    public DeepAutoencoder Clone()
    {
        var copy = new DeepAutoencoder(Inputs, Hidden, Latent);
        using var noGrad = no_grad();
        var source = state_dict();
        foreach (var (name, parameter) in copy.named_parameters())
            parameter.copy_(source[name]);
        return copy;
    }

    /// <summary>Linear layers through the widths, ReLU after all but the last.</summary>
    private static Sequential Stack(int[] widths)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add(($"linear{i}", Linear(widths[i], widths[i + 1])));
            if (i + 2 < widths.Length)
                layers.Add(($"relu{i}", ReLU()));
        }
        return Sequential(layers);
    }

    public Tensor Encode(Tensor x) => encoder.forward(x);

    public Tensor Decode(Tensor codes) => decoder.forward(codes);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return decoder.forward(encoder.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Codes for all rows, in eval mode and without gradients, in batches.</summary>
    public Tensor EncodeAll(Tensor data, int batchSize = 1000)
    {
        eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < data.shape[0]; start += batchSize)
            parts.Add(Encode(data.narrow(0, start, Math.Min(batchSize, data.shape[0] - start))));
        var all = cat(parts.ToArray(), 0);
        foreach (var part in parts) part.Dispose();
        return all;
    }
}

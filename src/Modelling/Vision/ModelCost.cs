namespace Pipeline.Modelling.Vision;

/// <summary>
/// What a ResNet of a shape costs: its parameters (weights, biases and batch-norm affine; not the running statistics)
/// and its multiply-accumulates per image for convolutions and the classifier — the "FLOPs" of the filter-pruning
/// papers (Li et al. 2017, Huang et al. 2018), which count one multiply-add as one operation and leave out BN and ReLU.
/// </summary>
public sealed record ModelCost(long Parameters, long Flops)
{
    public static ModelCost Of(ResNetShape shape)
    {
        long parameters = 0, flops = 0;
        void Conv(int inputs, int outputs, int kernel, int resolution)
        {
            parameters += (long)inputs * outputs * kernel * kernel + 2L * outputs; // the conv, then its BN's γ and β
            flops += (long)inputs * outputs * kernel * kernel * resolution * resolution;
        }

        var resolution = shape.ImageSize;
        Conv(shape.InChannels, shape.StageWidths[0], 3, resolution);
        for (var b = 0; b < shape.BlockWidths.Count; b++)
        {
            if (shape.StrideOf(b) == 2)
                resolution = (resolution + 1) / 2;
            var outputs = shape.StageWidths[shape.StageOf(b)];
            Conv(shape.InputWidthOf(b), shape.BlockWidths[b], 3, resolution);
            Conv(shape.BlockWidths[b], outputs, 3, resolution);
            if (shape.HasProjection(b))
                Conv(shape.InputWidthOf(b), outputs, 1, resolution);
        }
        parameters += (long)shape.StageWidths[^1] * shape.Classes + shape.Classes;
        flops += (long)shape.StageWidths[^1] * shape.Classes;
        return new ModelCost(parameters, flops);
    }
}

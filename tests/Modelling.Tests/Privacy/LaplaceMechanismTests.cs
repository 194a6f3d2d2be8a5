using Pipeline.Modelling.Privacy;
using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Tests.Privacy;

public sealed class LaplaceMechanismTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Noise_on_each_attribute_has_the_scale_of_its_range_over_epsilon(double epsilon)
    {
        // Attribute 0 spans 2 (values 0 and 2), attribute 1 spans 0.5: Laplace scales 2/ε and 0.5/ε.
        const int rows = 20_000;
        var features = new float[rows * 2];
        for (var r = 0; r < rows; r++)
        {
            features[r * 2] = r % 2 == 0 ? 0 : 2;
            features[r * 2 + 1] = r % 2 == 0 ? 1 : 1.5f;
        }
        var data = new TabularMatrix(features, new int[rows], 2, 2, Enumerable.Range(0, rows).ToArray());

        var noised = TrainingDataProtection.LaplaceNoised(data, epsilon, new Random(11));

        foreach (var (column, range) in new[] { (0, 2.0), (1, 0.5) })
        {
            var noise = Enumerable.Range(0, rows).Select(r => (double)noised.Features[r * 2 + column] - features[r * 2 + column]).ToList();
            var scale = range / epsilon;
            // For Laplace(0, b): E|X| = b and Var X = 2b².
            Assert.Equal(scale, noise.Average(Math.Abs), scale * 0.03);
            Assert.Equal(2 * scale * scale, noise.Average(x => x * x), 2 * scale * scale * 0.08);
            Assert.Equal(0, noise.Average(), scale * 0.05);
        }
        Assert.Equal(data.Labels, noised.Labels);
    }

    [Fact]
    public void Epsilon_must_be_positive()
    {
        var data = new TabularMatrix([1, 2], [0, 1], 1, 2, [0, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingDataProtection.LaplaceNoised(data, 0, new Random(1)));
    }
}

using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Tests.Training;

public sealed class WarmupCosineScheduleTests
{
    [Fact]
    public void Rate_rises_linearly_to_the_peak_then_follows_a_cosine_to_the_floor()
    {
        var schedule = new WarmupCosineSchedule(PeakLearningRate: 1.0, WarmupSteps: 4, TotalSteps: 15, MinFraction: 0.1);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(s => schedule.At(s)));
        Assert.Equal(1.0, schedule.At(4), 12);
        Assert.Equal(0.55, schedule.At(9), 12); // halfway (5 of 10 decay intervals) through the decay: the mean of peak and floor
        Assert.Equal(0.1, schedule.At(14), 12);
        var decay = Enumerable.Range(4, 11).Select(s => schedule.At(s)).ToList();
        Assert.True(decay.Zip(decay.Skip(1)).All(p => p.First > p.Second));
    }
}

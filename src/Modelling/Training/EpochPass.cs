using Pipeline.Contracts.Runs;

namespace Pipeline.Modelling.Training;

/// <summary>An epoch's pass: finished (Result), or paused at a step boundary (Part) when asked to.</summary>
public sealed record EpochPass(EpochResult? Result, EpochPart? Part);

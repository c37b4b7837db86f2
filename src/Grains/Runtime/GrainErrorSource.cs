namespace Steep.Grains.Runtime;

/// <summary>Where an error that no caller could observe happened.</summary>
public enum GrainErrorSource
{
    /// <summary>A one-way notification (<see cref="GrainRef{TGrain}.Tell"/>) failed or was not accepted.</summary>
    Tell,

    /// <summary>A timer callback failed.</summary>
    Timer,

    /// <summary>Creating the grain or its <see cref="Grain.OnActivateAsync"/> failed.</summary>
    Activation,

    /// <summary><see cref="Grain.OnDeactivateAsync"/> failed; the activation is gone anyway.</summary>
    Deactivation,

    /// <summary>The runtime itself failed (a bug in the runtime).</summary>
    Runtime,
}

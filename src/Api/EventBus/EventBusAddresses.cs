namespace Steep.Api.EventBus;

/// <summary>Steep 6.9's event bus addresses (AddressConstants.kt) that its HTTP endpoint lets browsers listen to.</summary>
internal static class EventBusAddresses
{
    public const string SubmissionAdded = "steep.submissionRegistry.submissionAdded";
    public const string SubmissionStartTimeChanged = "steep.submissionRegistry.submissionStartTimeChanged";
    public const string SubmissionEndTimeChanged = "steep.submissionRegistry.submissionEndTimeChanged";
    public const string SubmissionStatusChanged = "steep.submissionRegistry.submissionStatusChanged";
    public const string SubmissionPriorityChanged = "steep.submissionRegistry.submissionPriorityChanged";
    public const string SubmissionErrorMessageChanged = "steep.submissionRegistry.submissionErrorMessageChanged";
    public const string SubmissionsDeleted = "steep.submissionRegistry.submissionsDeleted";
    public const string ProcessChainsAdded = "steep.submissionRegistry.processChainsAdded";
    public const string ProcessChainsAddedSize = "steep.submissionRegistry.processChainsAddedSize";
    public const string ProcessChainStartTimeChanged = "steep.submissionRegistry.processChainStartTimeChanged";
    public const string ProcessChainEndTimeChanged = "steep.submissionRegistry.processChainEndTimeChanged";
    public const string ProcessChainStatusChanged = "steep.submissionRegistry.processChainStatusChanged";
    public const string ProcessChainAllStatusChanged = "steep.submissionRegistry.processChainAllStatusChanged";
    public const string ProcessChainPriorityChanged = "steep.submissionRegistry.processChainPriorityChanged";
    public const string ProcessChainAllPriorityChanged = "steep.submissionRegistry.processChainAllPriorityChanged";
    public const string ProcessChainErrorMessageChanged = "steep.submissionRegistry.processChainErrorMessageChanged";
    public const string ProcessChainProgressChanged = "steep.submissionRegistry.processChainProgressChanged";
    public const string ClusterNodeLeft = "steep.cluster.nodeLeft";
    public const string AgentAdded = "steep.remoteAgentRegistry.agentAdded";
    public const string AgentLeft = "steep.remoteAgentRegistry.agentLeft";
    public const string AgentBusy = "steep.remoteAgentRegistry.agentBusy";
    public const string AgentIdle = "steep.remoteAgentRegistry.agentIdle";
    public const string VmAdded = "steep.vmRegistry.vmAdded";
    public const string VmCreationTimeChanged = "steep.vmRegistry.vmCreationTimeChanged";
    public const string VmAgentJoinTimeChanged = "steep.vmRegistry.vmAgentJoinTimeChanged";
    public const string VmDestructionTimeChanged = "steep.vmRegistry.vmDestructionTimeChanged";
    public const string VmStatusChanged = "steep.vmRegistry.vmStatusChanged";
    public const string VmExternalIdChanged = "steep.vmRegistry.vmExternalIdChanged";
    public const string VmIpAddressChanged = "steep.vmRegistry.vmIpAddressChanged";
    public const string VmReasonChanged = "steep.vmRegistry.vmReasonChanged";
    public const string VmsDeleted = "steep.vmRegistry.vmsDeleted";

    /// <summary>What a browser may register for (Steep's outbound-permitted addresses); everything else is access_denied.</summary>
    public static readonly IReadOnlySet<string> Outbound = new HashSet<string>(StringComparer.Ordinal)
    {
        SubmissionAdded, SubmissionStartTimeChanged, SubmissionEndTimeChanged, SubmissionStatusChanged,
        SubmissionPriorityChanged, SubmissionErrorMessageChanged, SubmissionsDeleted, ProcessChainsAdded,
        ProcessChainsAddedSize, ProcessChainStartTimeChanged, ProcessChainEndTimeChanged, ProcessChainStatusChanged,
        ProcessChainAllStatusChanged, ProcessChainPriorityChanged, ProcessChainAllPriorityChanged,
        ProcessChainErrorMessageChanged, ProcessChainProgressChanged, ClusterNodeLeft, AgentAdded, AgentLeft, AgentBusy,
        AgentIdle, VmAdded, VmCreationTimeChanged, VmAgentJoinTimeChanged, VmDestructionTimeChanged, VmStatusChanged,
        VmExternalIdChanged, VmIpAddressChanged, VmReasonChanged, VmsDeleted,
    };
}

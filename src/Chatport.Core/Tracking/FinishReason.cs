namespace Chatport.Tracking;

/// <summary>Why a live chat finished; it decides <c>isDropped</c>, <c>isOffline</c> and part of <c>isMissed</c>.</summary>
public enum FinishReason
{
    /// <summary>A <c>close</c> event with <c>by: "visitor"</c> (message <c>close.visitorClose</c>).</summary>
    VisitorClose,

    /// <summary>A <c>close</c> event with <c>by: "agent"</c> (message <c>close.agentClose</c>).</summary>
    AgentClose,

    /// <summary>A <c>close</c> event with <c>by: "system"</c> (message <c>close.systemClose</c>).</summary>
    SystemClose,

    /// <summary>An <c>offline</c> event: a message left while no agent was available.</summary>
    Offline,

    /// <summary>No new event for the account's inactivity timeout (or a disconnect): the chat is dropped.</summary>
    Inactivity,
}

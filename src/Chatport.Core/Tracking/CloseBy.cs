namespace Chatport.Tracking;

/// <summary>Who closed a chat: the <c>by</c> of a <c>close</c> event.</summary>
public enum CloseBy
{
    /// <summary><c>by: "visitor"</c>: finishes as <see cref="FinishReason.VisitorClose"/> with message <c>close.visitorClose</c>.</summary>
    Visitor,

    /// <summary><c>by: "agent"</c>: finishes as <see cref="FinishReason.AgentClose"/> with message <c>close.agentClose</c>.</summary>
    Agent,

    /// <summary><c>by: "system"</c>: finishes as <see cref="FinishReason.SystemClose"/> with message <c>close.systemClose</c>.</summary>
    System,
}

using System.Diagnostics.Metrics;

namespace Chatport.Sources.Hooks;

/// <summary>Inbound hook requests by outcome and, for refusals, why (meter <c>Chatport.Hooks</c>).</summary>
internal sealed class HookMetrics
{
    public const string MeterName = "Chatport.Hooks";

    private readonly Counter<long> _requests;

    public HookMetrics(IMeterFactory meters) =>
        _requests = meters.Create(MeterName).CreateCounter<long>("chatport.hooks.requests", "{request}", "Inbound hook requests, by outcome and reason.");

    public void Accepted(string status) => _requests.Add(1, new("outcome", "accepted"), new("reason", status));

    public void Refused(string reason) => _requests.Add(1, new("outcome", "refused"), new("reason", reason));
}

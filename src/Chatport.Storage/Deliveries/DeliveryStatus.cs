namespace Chatport.Storage.Deliveries;

/// <summary>Where a delivery stands: <c>pending</c> (to send or retry), <c>succeeded</c>, or <c>failed</c> (dead-lettered).</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static bool IsKnown(string status) => status is Pending or Succeeded or Failed;
}

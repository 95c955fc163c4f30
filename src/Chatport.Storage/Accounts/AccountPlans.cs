namespace Chatport.Storage.Accounts;

/// <summary>The plan's spelling in the API and in the database: <c>free</c>, <c>pro</c>.</summary>
public static class AccountPlans
{
    public static string ToText(AccountPlan plan) => plan switch
    {
        AccountPlan.Free => "free",
        AccountPlan.Pro => "pro",
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan."),
    };

    public static bool TryParse(string? text, out AccountPlan plan)
    {
        switch (text)
        {
            case "free": plan = AccountPlan.Free; return true;
            case "pro": plan = AccountPlan.Pro; return true;
            default: plan = default; return false;
        }
    }

    public static AccountPlan Parse(string text) =>
        TryParse(text, out var plan) ? plan : throw new FormatException($"Unknown plan '{text}'.");
}

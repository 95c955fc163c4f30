namespace Chatport.Storage.Accounts;

/// <summary>The account's plan; the POST hook (webhook destinations) needs <see cref="Pro"/>, as in the seed.</summary>
public enum AccountPlan
{
    Free,
    Pro,
}

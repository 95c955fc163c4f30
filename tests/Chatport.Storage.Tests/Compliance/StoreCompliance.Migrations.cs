using Chatport.Storage.Accounts;

namespace Chatport.Tests.Compliance;

public abstract partial class StoreCompliance
{
    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await AccountAsync(1);

        await Store.MigrateAsync();
        await Store.MigrateAsync();

        await Store.PingAsync();
        Assert.Equal(AccountPlan.Pro, (await Store.GetAccountAsync(1))?.Plan);
    }
}

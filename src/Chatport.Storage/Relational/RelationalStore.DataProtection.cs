using System.Data.Common;
using System.Text;
using Chatport.Storage.DataProtection;

namespace Chatport.Storage.Relational;

internal abstract partial class RelationalStore
{
    // A plain write on a connection of its own, as an API key's creation: one row, no session. In SQLite it waits on
    // the writer's lock through the busy timeout; in PostgreSQL it gets no caller's token (see PostgresStore).
    public async Task StoreDataProtectionKeyAsync(string? friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (friendlyName is { Length: > IDataProtectionKeyStore.MaxFriendlyNameLength })
        {
            throw new ArgumentException(
                $"A data protection key's friendly name is at most {IDataProtectionKeyStore.MaxFriendlyNameLength} characters.", nameof(friendlyName));
        }
        if (xml.Length == 0 || xml.Length > IDataProtectionKeyStore.MaxXmlBytes || Encoding.UTF8.GetByteCount(xml) > IDataProtectionKeyStore.MaxXmlBytes)
        {
            // Never the XML in the message: it is a key.
            throw new ArgumentException(
                $"A data protection key's XML is 1 to {IDataProtectionKeyStore.MaxXmlBytes} bytes of UTF-8.", nameof(xml));
        }
        var now = NowMs();
        await ExecuteAsync("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@name, @xml, @now)", command =>
        {
            command.AddText("@name", friendlyName);
            command.AddText("@xml", xml);
            command.AddBigint("@now", now);
        }, cancellationToken);
    }

    // Newest first by id (both databases hand out increasing ids), not by time: two nodes' clocks may disagree.
    public async Task<IReadOnlyList<DataProtectionKeyRecord>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT id, friendly_name, xml, created_at FROM data_protection_keys ORDER BY id DESC LIMIT @limit",
            command => command.AddInteger("@limit", IDataProtectionKeyStore.MaxListed), ReadDataProtectionKey, cancellationToken);

    private static DataProtectionKeyRecord ReadDataProtectionKey(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetStringOrNull(1),
        reader.GetString(2),
        reader.GetTime(3));
}

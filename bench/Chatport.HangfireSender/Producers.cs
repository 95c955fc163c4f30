using System.Text;
using Chatport.LoadHarness;
using Hangfire;

namespace Chatport.HangfireSender;

/// <summary>
/// The enqueueing side: a few threads, as concurrent requests into a web app would, each calling
/// <c>Enqueue</c> once per conversation (one job, its JSON as the argument, stored by Hangfire with the job).
/// </summary>
internal static class Producers
{
    /// <summary>The account the conversations belong to (the harness's bench account).</summary>
    private const long AccountId = 4242;

    private static readonly Conversations Template = new(AccountId);

    /// <summary>Enqueues one job for each conversation id from <paramref name="firstId"/> to firstId + count − 1.</summary>
    public static Task EnqueueAsync(IBackgroundJobClient jobs, long firstId, int count, int producers, CancellationToken cancellationToken)
    {
        long next = -1;
        void Produce()
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var id = firstId + index;
                var json = Encoding.UTF8.GetString(Template.One(id));
                jobs.Enqueue<ConversationJob>(job => job.SendAsync(id, json, CancellationToken.None));
            }
        }
        return Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Factory.StartNew(Produce, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
    }
}

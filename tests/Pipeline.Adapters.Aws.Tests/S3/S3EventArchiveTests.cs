using Pipeline.Adapters.Aws.S3;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Tests.S3;

public sealed class S3EventArchiveTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static InteractionEvent Event(string id, string user, DateTimeOffset at, double? value = null) =>
        new(id, user, "i1", EventTypes.Purchase, value, "s1", null, at);

    [Fact]
    public void Key_IsTheEarliestEventsUtcHourAndAHashOfTheEventIds_WhateverTheOrder()
    {
        var a = Event("e1", "u1", Noon.AddMinutes(70));
        var b = Event("e2", "u1", new DateTimeOffset(2026, 11, 1, 13, 59, 0, TimeSpan.FromHours(2)));

        var key = S3EventArchive.KeyFor([a, b]);

        Assert.Equal(key, S3EventArchive.KeyFor([b, a]));
        Assert.Matches(@"^events/2026/11/01/11/[0-9a-f]{32}\.csv$", key);
        Assert.NotEqual(key, S3EventArchive.KeyFor([a]));
    }

    [Fact]
    public void Csv_HasTheInteractionsSchemaColumns_EpochSeconds_AndQuotesFieldsWithCommasOrQuotes()
    {
        var csv = S3EventArchive.ToCsv([Event("e2", "u,\"2\"", Noon.AddSeconds(1), 9.5), Event("e1", "u1", Noon)]);

        Assert.Equal(
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n" +
            "u1,i1,1793534400,purchase,\n" +
            "\"u,\"\"2\"\"\",i1,1793534401,purchase,9.5\n",
            csv);
    }
}

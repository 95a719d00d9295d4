using System.Text;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Datasets;

public sealed class InteractionsCsvTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static InteractionDataset Read(string csv) => InteractionsCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test.csv");

    [Fact]
    public void Read_GeneratedFile_KeepsEveryRowAndItsColumns()
    {
        var lines = data.Lines(DatasetFiles.Interactions);
        Assert.Equal(lines.Length - 1, data.Interactions.Count);
        foreach (var row in new[] { 0, 1, data.Interactions.Count / 2, data.Interactions.Count - 1 })
        {
            var fields = lines[row + 1].Split(',');
            Assert.Equal(fields[0], data.Interactions.UserIds[data.Interactions.UserIndex[row]]);
            Assert.Equal(fields[1], data.Interactions.ItemIds[data.Interactions.ItemIndex[row]]);
            Assert.Equal(long.Parse(fields[2]), data.Interactions.Timestamps[row]);
            Assert.Equal(fields[3], data.Interactions.EventTypes[data.Interactions.EventTypeCodes[row]]);
        }
    }

    [Fact]
    public void Read_UsesTheHeaderForColumnOrderAndIgnoresExtraColumns()
    {
        var dataset = Read("EVENT_TYPE,TIMESTAMP,DEVICE,ITEM_ID,USER_ID,EVENT_VALUE\npurchase,1700000000,phone,i1,u1,12.5\nview,1700000001,web,i2,u1,\n");
        Assert.Equal(2, dataset.Count);
        Assert.Equal(["u1"], dataset.UserIds);
        Assert.Equal(["i1", "i2"], dataset.ItemIds);
        Assert.Equal([1700000000L, 1700000001L], dataset.Timestamps.ToArray());
        Assert.Equal("purchase", dataset.EventTypes[dataset.EventTypeCodes[0]]);
        Assert.Equal(12.5f, dataset.EventValues[0]);
        Assert.True(float.IsNaN(dataset.EventValues[1]));
    }

    [Fact]
    public void Read_WithoutOptionalColumns_GivesEmptyEventTypeAndNoValues()
    {
        var dataset = Read("USER_ID,ITEM_ID,TIMESTAMP\r\nu1,i1,5\r\nu2,i1,6\r\n");
        Assert.Equal(2, dataset.Count);
        Assert.Equal([0, 1], dataset.UserIndex.ToArray());
        Assert.Equal([0, 0], dataset.ItemIndex.ToArray());
        Assert.Equal("", dataset.EventTypes[dataset.EventTypeCodes[1]]);
        Assert.True(float.IsNaN(dataset.EventValues[0]));
    }

    [Fact]
    public void Read_QuotedFields_AreUnescaped()
    {
        var dataset = Read("USER_ID,ITEM_ID,TIMESTAMP\n\"u,1\",\"say \"\"hi\"\"\",7\n");
        Assert.Equal("u,1", dataset.UserIds[0]);
        Assert.Equal("say \"hi\"", dataset.ItemIds[0]);
    }

    [Fact]
    public void Read_ByteOrderMarkAndLastLineWithoutNewline_AreAccepted()
    {
        var dataset = InteractionsCsv.Read(new MemoryStream([0xEF, 0xBB, 0xBF, .. "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,5"u8]), "bom.csv");
        Assert.Equal(1, dataset.Count);
    }

    [Fact]
    public void Read_MalformedTimestamp_NamesFileLineAndColumn()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,5\nu1,i2,yesterday\n"));
        Assert.Equal("test.csv line 3, column TIMESTAMP: 'yesterday' is not a non-negative epoch-seconds integer", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Read_MalformedEventValue_NamesTheColumn()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\nu1,i1,5,lots\n"));
        Assert.Equal("EVENT_VALUE", error.Column);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Read_RowWithWrongFieldCount_NamesTheLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1\n"));
        Assert.Equal("test.csv line 2: expected 3 fields as in the header, found 2", error.Message);
    }

    [Fact]
    public void Read_EmptyUserId_IsRejected()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,ITEM_ID,TIMESTAMP\n,i1,5\n"));
        Assert.Equal("USER_ID", error.Column);
    }

    [Fact]
    public void Read_HeaderWithoutRequiredColumn_SaysWhichIsMissing()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,TIMESTAMP\nu1,5\n"));
        Assert.Contains("no ITEM_ID column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedQuote_IsRejected()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("USER_ID,ITEM_ID,TIMESTAMP\n\"u1,i1,5\n"));
        Assert.Contains("unterminated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_SaysAHeaderIsExpected()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read(""));
        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_DependsOnTheFileContent()
    {
        var first = Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,5\n");
        var same = Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,5\n");
        var other = Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,6\n");
        Assert.Equal(first.Fingerprint(), same.Fingerprint());
        Assert.NotEqual(first.Fingerprint(), other.Fingerprint());
        Assert.StartsWith("sha256:", first.Fingerprint(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_OfASubset_HashesItsRows()
    {
        var dataset = Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,5\nu2,i2,6\n");
        Assert.Equal(dataset.Subset([0]).Fingerprint(), dataset.Subset([0]).Fingerprint());
        Assert.NotEqual(dataset.Subset([0]).Fingerprint(), dataset.Subset([1]).Fingerprint());
    }

    [Fact]
    public void GroupByUser_OrdersEachUsersRowsOldestFirst()
    {
        var dataset = Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,30\nu2,i2,5\nu1,i3,10\nu1,i4,20\n");
        var byUser = dataset.GroupByUser();
        Assert.Equal([2, 3, 0], byUser.RowsOf(dataset.FindUser("u1")).ToArray());
        Assert.Equal([1], byUser.RowsOf(dataset.FindUser("u2")).ToArray());
    }
}

using System.Security.Cryptography;
using System.Text;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Models;

/// <summary>
/// The graph filter's artifact layouts (issue #15): format 2 keeps V once as int8 rows; format 1's first layout
/// (float V and degree roots, GF-CF's low-pass part only) still loads; format 1's float fold and serve rows are refused.
/// The format 1 artifacts are rebuilt here from a format 2 one by swapping the spectral part's bytes.
/// </summary>
public sealed class GraphArtifactFormatTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static UserPersonalizationOptions Graph(double sharpening) => new("graph", GraphRowExponent: 0.5, GraphColumnExponent: 0.5,
        GraphUserExponent: 1, GraphNeighbours: 50, GraphRank: 8, GraphLowRankWeight: 0.3, GraphSharpening: sharpening,
        EventTypeWeights: HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife: 0, CategoryWeight: 0);

    private static readonly ModelQuery Query = new("user_00001", null, 25);

    [Fact]
    public async Task Format2_WritesVersion2_WithVOnceAsInt8_AndLoadsTheSameFilter()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Graph(sharpening: 0.5));
        var bytes = Save(saved);
        var low = Assert.IsType<ItemGraphScorer>(saved.Scorer).LowRank!;

        var loaded = Assert.IsType<UserPersonalizationModel>(ModelArtifact.Load(new MemoryStream(bytes)).Model);

        Assert.Equal(2, BitConverter.ToUInt16(bytes, 8));
        var loadedLow = Assert.IsType<ItemGraphScorer>(loaded.Scorer).LowRank!;
        Assert.Equal(low.Vectors.Values.ToArray(), loadedLow.Vectors.Values.ToArray());
        Assert.Equal(low.Vectors.Scales.ToArray(), loadedLow.Vectors.Scales.ToArray());
        Assert.Equal(low.Sharpening, loadedLow.Sharpening);
        Assert.Equal(low.Weight, loadedLow.Weight);
        // The spectral part costs one byte per item and rank plus two floats per item, not float32 fold and serve rows.
        AssertSpectralLayout(bytes, saved);
        Assert.Equal(await saved.RecommendAsync(Query), await loaded.RecommendAsync(Query));
    }

    [Fact]
    public async Task Format1_VAndDegreeRoots_StillLoads_AsTheSameLowPassFilter()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Graph(sharpening: 0));
        var low = Assert.IsType<ItemGraphScorer>(saved.Scorer).LowRank!;
        Assert.Empty(low.Sharpening);
        var n = low.ItemCount;
        var vectors = new float[n * low.Rank];
        for (var i = 0; i < n; i++)
        for (var c = 0; c < low.Rank; c++) vectors[i * low.Rank + c] = low.Vectors[i, c];
        var old = AsFormat1(Save(saved), saved, writer =>
        {
            BinaryArrays.Write<float>(writer, vectors);
            BinaryArrays.Write<float>(writer, low.Roots);
        });

        var loaded = Assert.IsType<UserPersonalizationModel>(ModelArtifact.Load(new MemoryStream(old)).Model);

        Assert.Equal(1, BitConverter.ToUInt16(old, 8));
        var loadedLow = Assert.IsType<ItemGraphScorer>(loaded.Scorer).LowRank!;
        Assert.Equal(low.Vectors.Values.ToArray(), loadedLow.Vectors.Values.ToArray());
        Assert.Equal(low.Weight, loadedLow.Weight);
        Assert.Equal(await saved.RecommendAsync(Query), await loaded.RecommendAsync(Query));
    }

    [Fact]
    public void Format1_FloatFoldAndServeRows_AreRefused_SayingToRetrain()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Graph(sharpening: 0.5));
        var low = Assert.IsType<ItemGraphScorer>(saved.Scorer).LowRank!;
        var rows = new float[low.ItemCount * 2 * low.Rank];
        var old = AsFormat1(Save(saved), saved, writer =>
        {
            BinaryArrays.Write<float>(writer, rows);
            BinaryArrays.Write<float>(writer, rows);
        });

        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(old)));

        Assert.Equal("this aws-user-personalization graph model stores its spectral part as float fold and serve rows (artifact format 1 " +
            "with BSPM's sharpening), a layout this build no longer reads; retrain the solution to write format 2", error.Message);
    }

    [Fact]
    public async Task Load_StreamsThePayload_FromAStreamThatNeitherSeeksNorFillsWholeReads_AllocatingAboutTheModelOnce()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Graph(sharpening: 0.5));
        var bytes = Save(saved);
        var range = PayloadRange(bytes);
        var payloadLength = range.End.Value - 32 - range.Start.Value;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = ModelArtifact.Load(new TrickleStream(bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(await saved.RecommendAsync(Query), await loaded.Model.RecommendAsync(Query));
        // Reading the payload into memory first, as format 1's loader did, allocates it twice (the bytes, then the arrays).
        Assert.InRange(allocated, payloadLength / 2, payloadLength * 3 / 2);
    }

    [Fact]
    public void Load_DamagedArrayLength_IsReportedByTheHash_NotAsAHugeAllocation()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Graph(sharpening: 0.5));
        var bytes = Save(saved);
        var spectral = PayloadRange(bytes).End.Value - 32 - TailBytes(saved) - (int)LowRankBytes(Assert.IsType<ItemGraphScorer>(saved.Scorer).LowRank!);
        bytes[spectral + 8 + 3] = 0x7F; // the sharpening array's length prefix (after rank and β): now ~2³¹

        var error = Assert.Throws<InvalidModelArtifactException>(() => ModelArtifact.Load(new MemoryStream(bytes)));

        Assert.Equal("corrupted: the payload does not match its SHA-256", error.Message);
    }

    private static byte[] Save(UserPersonalizationModel model)
    {
        using var stream = new MemoryStream();
        ModelArtifact.Create(model, "sha256:test", DateTimeOffset.UnixEpoch).Save(stream);
        return stream.ToArray();
    }

    /// <summary>Checks that the spectral part sits just before the tail and takes <see cref="LowRankBytes"/>: rank, β and
    /// the coefficients' count at its start, then the roots, V's scales and V's int8 entries.</summary>
    private static void AssertSpectralLayout(byte[] artifact, UserPersonalizationModel model)
    {
        var low = Assert.IsType<ItemGraphScorer>(model.Scorer).LowRank!;
        var start = (int)(PayloadRange(artifact).End.Value - 32 - TailBytes(model) - LowRankBytes(low));
        Assert.Equal(low.Rank, BitConverter.ToInt32(artifact, start));
        Assert.Equal(low.Weight, BitConverter.ToSingle(artifact, start + 4));
        Assert.Equal(low.Sharpening.Length, BitConverter.ToInt32(artifact, start + 8));
        var vectorsAt = start + 8 + 4 + 4 * low.Sharpening.Length + 2 * (4 + 4 * low.ItemCount);
        Assert.Equal(low.ItemCount * low.Rank, BitConverter.ToInt32(artifact, vectorsAt));
        Assert.Equal((sbyte)artifact[vectorsAt + 4], low.Vectors.Values[0]);
    }

    private static long LowRankBytes(LowRankFilter low) =>
        4 + 4 + (4 + 4L * low.Sharpening.Length) + (4 + 4L * low.ItemCount) * 2 + 4 + (long)low.ItemCount * low.Rank;

    /// <summary>What follows the scorer: the history weights and the category count (0: no categories here).</summary>
    private static int TailBytes(UserPersonalizationModel model)
    {
        Assert.Null(model.Categories);
        return 4 + 4 * model.UserItemWeights.Length + 4;
    }

    /// <summary>The payload's bytes, and the hash after them, within the artifact (the end includes the 32-byte hash).</summary>
    private static Range PayloadRange(byte[] artifact)
    {
        using var reader = new BinaryReader(new MemoryStream(artifact), Encoding.UTF8);
        reader.ReadBytes(8);
        reader.ReadUInt16();
        reader.ReadString();
        var count = reader.ReadInt32();
        for (var i = 0; i < 2 * count; i++) reader.ReadString();
        reader.ReadString();
        reader.ReadInt64();
        var length = reader.ReadInt64();
        var start = (int)reader.BaseStream.Position;
        return new Range(start, start + (int)length + 32);
    }

    /// <summary>A format 1 artifact: the format 2 one's header with version 1 and its payload with the spectral part
    /// written by <paramref name="writeSpectral"/>.</summary>
    private static byte[] AsFormat1(byte[] format2, UserPersonalizationModel model, Action<BinaryWriter> writeSpectral)
    {
        var range = PayloadRange(format2);
        var payloadStart = range.Start.Value;
        var payloadEnd = range.End.Value - 32;
        var spectralStart = payloadEnd - TailBytes(model) - (int)LowRankBytes(Assert.IsType<ItemGraphScorer>(model.Scorer).LowRank!);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(format2, payloadStart, spectralStart - payloadStart);
            writeSpectral(writer);
            writer.Write(format2, payloadEnd - TailBytes(model), TailBytes(model));
        }
        using var artifact = new MemoryStream();
        using (var writer = new BinaryWriter(artifact, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(format2, 0, payloadStart - 8);
            writer.Write(payload.Length);
            writer.Write(payload.ToArray());
            writer.Write(SHA256.HashData(payload.ToArray()));
        }
        var bytes = artifact.ToArray();
        bytes[8] = 1;
        bytes[9] = 0;
        return bytes;
    }

    /// <summary>A stream that cannot seek and hands out at most 1,000 bytes a read.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 1000), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

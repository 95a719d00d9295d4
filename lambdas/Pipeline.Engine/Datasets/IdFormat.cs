using System.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>Synthetic ids: a prefix and a 1-based number zero-padded to at least five digits (user_00001).</summary>
public static class IdFormat
{
    public static int Width(int count) => Math.Max(5, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);

    public static string Format(string prefix, int oneBasedNumber, int width) =>
        prefix + oneBasedNumber.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');

    public static byte[] Utf8(string prefix, int oneBasedNumber, int width) => Encoding.UTF8.GetBytes(Format(prefix, oneBasedNumber, width));
}

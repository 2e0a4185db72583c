using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Palisade.Server.Configuration;

/// <summary>
/// Parses the value syntaxes of the configuration (durations, sizes, endpoints, upstream URLs, booleans, enums) and
/// formats them back. Each parser returns false with a short explanation (that quotes the input) instead of throwing.
/// </summary>
public static partial class ValueParsers
{
    private const string DurationHint = "use e.g. 500ms, 5s, 10m, 24h, 1d or 1h30m";
    private const string SizeHint = "use e.g. 200MB, 64MiB or 0";

    private static readonly (string Unit, long Ticks)[] DurationUnits =
    [
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    private static readonly (string Unit, long Bytes)[] SizeUnits =
    [
        ("B", 1),
        ("KB", 1000),
        ("MB", 1000 * 1000),
        ("GB", 1000 * 1000 * 1000),
        ("KiB", 1024),
        ("MiB", 1024 * 1024),
        ("GiB", 1024 * 1024 * 1024),
    ];

    /// <summary>
    /// A duration: a number and a unit (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>), or several from the largest
    /// unit down (<c>1h30m</c>). A bare <c>0</c> is zero; any other bare number is an error asking for a unit.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = $"'{text}' is not a duration ({DurationHint})";
            return false;
        }

        if (s == "0")
        {
            error = null;
            return true;
        }

        if (s.All(char.IsAsciiDigit))
        {
            error = $"'{text}' has no unit ({DurationHint})";
            return false;
        }

        long ticks = 0;
        var previousUnit = -1;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i].ToLowerInvariant();
            var unitIndex = Array.FindIndex(DurationUnits, u => u.Unit == unit);
            if (unitStart == start || unitIndex < 0 || unitIndex <= previousUnit)
            {
                error = $"'{text}' is not a duration ({DurationHint})";
                return false;
            }

            previousUnit = unitIndex;
            if (!long.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{text}' is too long a duration";
                return false;
            }

            try
            {
                ticks = checked(ticks + checked(number * DurationUnits[unitIndex].Ticks));
            }
            catch (OverflowException)
            {
                error = $"'{text}' is too long a duration";
                return false;
            }
        }

        value = TimeSpan.FromTicks(ticks);
        error = null;
        return true;
    }

    /// <summary>
    /// A size in bytes: a number (fractions allowed) with <c>B</c>, <c>KB</c>, <c>MB</c>, <c>GB</c> (powers of 1000) or
    /// <c>KiB</c>, <c>MiB</c>, <c>GiB</c> (powers of 1024), case-insensitive; a bare number is bytes.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = 0;
        var s = text.Trim();
        var numberEnd = 0;
        while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
        {
            numberEnd++;
        }

        var unit = s[numberEnd..].Trim();
        long multiplier = 1;
        if (unit.Length > 0)
        {
            var found = Array.FindIndex(SizeUnits, u => string.Equals(u.Unit, unit, StringComparison.OrdinalIgnoreCase));
            if (found < 0)
            {
                error = $"'{text}' is not a size ({SizeHint})";
                return false;
            }

            multiplier = SizeUnits[found].Bytes;
        }

        if (numberEnd == 0
            || !decimal.TryParse(s.AsSpan(0, numberEnd), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a size ({SizeHint})";
            return false;
        }

        try
        {
            var total = decimal.Floor(number * multiplier);
            if (total > long.MaxValue)
            {
                error = $"'{text}' is too large a size";
                return false;
            }

            bytes = (long)total;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large a size";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A whole number in decimal (<c>300</c>, <c>-1</c>); the key's own check decides the range.</summary>
    public static bool TryParseInteger(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = s.TrimStart('-', '+').Length > 0 && s.TrimStart('-', '+').All(char.IsAsciiDigit)
            ? $"'{text}' is too large a number"
            : $"'{text}' is not a whole number";
        return false;
    }

    /// <summary><c>true</c> or <c>false</c> (also <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>), case-insensitive.</summary>
    public static bool TryParseBoolean(string text, out bool value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToUpperInvariant())
        {
            case "TRUE" or "YES" or "ON":
                value = true;
                error = null;
                return true;
            case "FALSE" or "NO" or "OFF":
                value = false;
                error = null;
                return true;
            default:
                value = false;
                error = $"'{text}' is not a boolean (use true or false)";
                return false;
        }
    }

    /// <summary>
    /// A member of <typeparamref name="TEnum"/>, written in camelCase (<c>roundRobin</c>) and matched case-insensitively;
    /// the error lists the valid values.
    /// </summary>
    public static bool TryParseEnum<TEnum>(string text, out TEnum value, [NotNullWhen(false)] out string? error)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(EnumName(candidate), s, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                error = null;
                return true;
            }
        }

        var names = Enum.GetValues<TEnum>().Select(EnumName).ToArray();
        var suggestion = DidYouMean.Closest(s, names);
        value = default;
        error = $"'{text}' is not one of {string.Join(", ", names)}"
            + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)");
        return false;
    }

    /// <summary>The name of an enum member as written in the configuration: camelCase.</summary>
    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name[1..]);
    }

    /// <summary>A duration as the parser reads it: <c>0s</c>, <c>500ms</c>, <c>1h30m</c>, <c>1d</c>.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        var ticks = value.Ticks;
        foreach (var (unit, unitTicks) in DurationUnits)
        {
            var count = ticks / unitTicks;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                ticks -= count * unitTicks;
            }
        }

        if (ticks > 0)
        {
            // Below a millisecond: not something the parser produces; shown for completeness.
            builder.Append((ticks * 100).ToString(CultureInfo.InvariantCulture)).Append("ns");
        }

        return builder.ToString();
    }

    /// <summary>A size in the largest unit that divides it exactly: <c>200MB</c>, <c>64MiB</c>, <c>1500B</c>, <c>0</c>.</summary>
    public static string FormatSize(long bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        foreach (var (unit, size) in SizeUnits.Where(u => u.Bytes > 1).OrderByDescending(u => u.Bytes))
        {
            if (bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}

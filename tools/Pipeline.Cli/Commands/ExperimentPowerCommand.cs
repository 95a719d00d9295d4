using System.CommandLine;
using System.Globalization;
using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline experiment power`: users per variant to detect a relative lift, for a conversion rate
/// (--baseline-rate) or a mean metric (--mean and --stddev), two-sided at --alpha with --power.
/// </summary>
public static class ExperimentPowerCommand
{
    public static Command Create()
    {
        var rate = new Option<double?>("--baseline-rate") { Description = "Control conversion rate, e.g. 0.1." };
        var mean = new Option<double?>("--mean") { Description = "Control mean of a mean metric (e.g. revenue per user)." };
        var stddev = new Option<double?>("--stddev") { Description = "Per-user standard deviation of the mean metric." };
        var mde = new Option<double>("--mde") { Required = true, Description = "Relative lift to detect, e.g. 0.05 for 5%." };
        var alpha = new Option<double>("--alpha") { DefaultValueFactory = _ => 0.05, Description = "Two-sided significance level." };
        var power = new Option<double>("--power") { DefaultValueFactory = _ => 0.8, Description = "Probability of detecting the lift." };
        var variants = new Option<int>("--variants") { DefaultValueFactory = _ => 2, Description = "Number of variants (for the total)." };
        var command = new Command("power", "Sample size: users per variant needed to detect a relative lift.")
        {
            rate, mean, stddev, mde, alpha, power, variants,
        };
        command.SetAction(async (ParseResult parseResult, CancellationToken ct) =>
        {
            var lift = parseResult.GetValue(mde);
            var a = parseResult.GetValue(alpha);
            var p = parseResult.GetValue(power);
            long perVariant;
            try
            {
                if (parseResult.GetValue(rate) is { } baseline)
                {
                    perVariant = PowerCalculator.SampleSizePerVariantForProportion(baseline, lift, a, p);
                }
                else if (parseResult.GetValue(mean) is { } m && parseResult.GetValue(stddev) is { } sd)
                {
                    perVariant = PowerCalculator.SampleSizePerVariant(sd * sd, sd * sd, m * lift, a, p);
                }
                else
                {
                    throw new CommandLineException("give --baseline-rate, or --mean and --stddev");
                }
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CommandLineException(e.Message.ReplaceLineEndings(" "));
            }
            var total = perVariant * parseResult.GetValue(variants);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"users per variant: {perVariant}\ntotal users: {total}\n(relative lift {lift:P1}, alpha {a}, power {p}, two-sided, normal approximation)"));
            return 0;
        });
        return command;
    }
}

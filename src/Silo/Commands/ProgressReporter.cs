using Steep.Contracts;
using Steep.Grains;

namespace Steep.Silo.Commands;

/// <summary>Shows a submission's progress: a bar redrawn in place on a terminal, plain lines (at most twice a second) otherwise.</summary>
internal sealed class ProgressReporter(TextWriter output, bool interactive)
{
    private SubmissionEvent? _last;
    private DateTime _lastPrint = DateTime.MinValue;
    private bool _drawn;

    public void Update(SubmissionEvent e)
    {
        if (_last is not null && _last with { Status = e.Status } == e && _last.Status == e.Status) return;
        _last = e;
        var now = DateTime.UtcNow;
        if (!interactive && now - _lastPrint < TimeSpan.FromMilliseconds(500) && !IsFinal(e)) return;
        _lastPrint = now;
        var done = e.Succeeded + e.Failed + e.Cancelled;
        var text = $"{e.Status,-15} chains: {e.Succeeded} done, {e.Running - 0} open, {e.Failed} failed, {e.Cancelled} cancelled, {e.Total} total";
        if (interactive)
        {
            const int width = 30;
            int filled = e.Total == 0 ? 0 : (int)Math.Round(width * (double)done / e.Total);
            output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}\u001b[K");
            _drawn = true;
        }
        else output.WriteLine(text);
    }

    public void Finish()
    {
        if (_drawn) output.WriteLine();
        _drawn = false;
    }

    private static bool IsFinal(SubmissionEvent e) => Steep.Core.Models.SubmissionStatus.IsFinal(e.Status);
}

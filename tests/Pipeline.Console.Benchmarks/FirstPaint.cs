using Microsoft.Playwright;

namespace Pipeline.Console.Benchmarks;

/// <summary>What the browser reports of a navigation: its first contentful paint, and the server's render time.</summary>
public static class FirstPaint
{
    // The paint entry can be recorded after the load event: wait for it (buffered), -1 if none comes within 5 s.
    private const string ContentfulPaint = """
        new Promise(done => {
          const paint = list => list.find(e => e.name === 'first-contentful-paint');
          const now = paint(performance.getEntriesByType('paint'));
          if (now) return done(now.startTime);
          new PerformanceObserver(l => { const e = paint(l.getEntries()); if (e) done(e.startTime); }).observe({ type: 'paint', buffered: true });
          setTimeout(() => done(-1), 5000);
        })
        """;

    // The page route's Server-Timing "render" (handler to first byte), -1 if absent.
    private const string ServerRender =
        "(performance.getEntriesByType('navigation')[0]?.serverTiming ?? []).find(t => t.name === 'render')?.duration ?? -1";

    /// <summary>Milliseconds from the navigation's start to the first contentful paint; -1 when none was painted.</summary>
    public static Task<double> ContentfulAsync(IPage page) => page.EvaluateAsync<double>(ContentfulPaint);

    /// <summary>Milliseconds the server took to render the page; -1 when it did not say.</summary>
    public static Task<double> ServerRenderAsync(IPage page) => page.EvaluateAsync<double>(ServerRender);
}

package routes.observe;

/** Events per second over the last few seconds, kept in one bucket per second. */
final class RateWindow {

    private final int seconds;
    private final long[] counts;
    private final long[] bucketSecond;
    private final long startedMillis;

    RateWindow(int seconds, long nowMillis) {
        this.seconds = seconds;
        this.counts = new long[seconds];
        this.bucketSecond = new long[seconds];
        this.startedMillis = nowMillis;
    }

    synchronized void add(long count, long nowMillis) {
        long second = nowMillis / 1000;
        int i = (int) (second % seconds);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            counts[i] = 0;
        }
        counts[i] += count;
    }

    /** The mean rate over the window that ends now (shorter while the service has run less than that). */
    synchronized double perSecond(long nowMillis) {
        long second = nowMillis / 1000;
        long total = 0;
        for (int i = 0; i < seconds; i++) {
            if (bucketSecond[i] > second - seconds) {
                total += counts[i];
            }
        }
        double span = Math.min(seconds - 1 + (nowMillis % 1000) / 1000.0, (nowMillis - startedMillis) / 1000.0);
        return span <= 0 ? 0 : total / span;
    }

    int seconds() {
        return seconds;
    }
}

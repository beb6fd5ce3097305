package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows artifact transfers: on a terminal, one progress bar per file redrawn in place on stderr (each whole percent);
 * otherwise one plain line per finished file on stdout, which a log or a pipe can read. Thread-safe (parallel parts
 * report from several threads).
 */
final class TransferPrinter implements TransferListener {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean bar;
    private final String verb;
    private final Map<String, long[]> files = new HashMap<>();
    private int count;
    private long bytes;

    /** {@code verb} is "uploaded" or "downloaded"; {@code bar} selects the terminal progress bar. */
    TransferPrinter(PrintWriter out, PrintWriter err, boolean bar, String verb) {
        this.out = out;
        this.err = err;
        this.bar = bar;
        this.verb = verb;
    }

    @Override
    public synchronized void started(String path, long totalBytes) {
        files.put(path, new long[] {totalBytes, 0, -1});
        if (bar) {
            draw(path, files.get(path));
        }
    }

    @Override
    public synchronized void transferred(String path, long delta) {
        long[] state = files.get(path);
        if (state == null) {
            return;
        }
        state[1] += delta;
        if (bar && state[0] > 0) {
            long percent = state[1] * 100 / state[0];
            if (percent != state[2]) {
                state[2] = percent;
                draw(path, state);
            }
        }
    }

    @Override
    public synchronized void completed(String path) {
        long[] state = files.remove(path);
        long size = state == null ? 0 : Math.max(state[0], state[1]);
        count++;
        bytes += size;
        if (bar) {
            err.print("\r\033[2K");
            err.flush();
        }
        out.println(verb + " " + path + " (" + size(size) + ")");
        out.flush();
    }

    synchronized int count() {
        return count;
    }

    synchronized long bytes() {
        return bytes;
    }

    private void draw(String path, long[] state) {
        long total = state[0];
        int filled = total > 0 ? (int) Math.min(WIDTH, state[1] * WIDTH / total) : 0;
        String line = String.format(Locale.ROOT, "\r\033[2K%s [%s%s] %3d%% %s/%s", path, "#".repeat(filled),
                ".".repeat(WIDTH - filled), total > 0 ? state[1] * 100 / total : 0, size(state[1]),
                total >= 0 ? size(total) : "?");
        err.print(line);
        err.flush();
    }

    /** {@code 1.5 MiB}, {@code 300 B}. */
    static String size(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

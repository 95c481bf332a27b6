package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link HeadExemplarsTest#killNine_keepsCommittedExemplars} kills: opens a durable
 * head with exemplar storage and commits batch after batch, batch {@code k} holding one sample
 * and one exemplar (trace_id = hex k) at {@code k * STEP}, continuing after the newest exemplar
 * it finds. Prints {@code commit <k> ok} after each commit returned.
 */
public final class ExemplarKillChild {
    static final long STEP = 1000;
    static final int RING = 5000;

    private ExemplarKillChild() {}

    public static void main(String[] args) throws Exception {
        Labels s = Labels.of("__name__", "req_total", "job", "a");
        HeadOptions o = HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSegmentSize(32 * 1024))
                .withReplayWorkers(1);
        Head head = Head.open(Path.of(args[0]), o, new CircularExemplarStorage(RING));
        var found = head.exemplarStorage().select(Long.MIN_VALUE, Long.MAX_VALUE,
                List.<Matcher[]>of(new Matcher[] {Matcher.equal("job", "a")}));
        long k = found.isEmpty() ? 0 : found.get(0).exemplars().getLast().t() / STEP + 1;
        for (; ; k++) {
            Appender app = head.appender();
            long ref = app.append(0, s, k * STEP, k);
            app.appendExemplar(ref, s, Labels.of("trace_id", Long.toHexString(k)), k * STEP, k);
            app.commit();
            System.out.println("commit " + k + " ok");
            System.out.flush();
        }
    }
}

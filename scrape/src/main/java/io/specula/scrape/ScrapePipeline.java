package io.specula.scrape;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.Parsers;
import io.specula.model.textparse.UnsupportedContentTypeException;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.discovery.TargetGroup;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.util.List;

/**
 * The per-scrape pipeline of one target (parse, label, relabel, limit, append with the scrape
 * cache, staleness) without HTTP or scheduling: for benchmarks and for callers that already
 * hold an exposition body. Not thread-safe; one instance per target.
 */
public final class ScrapePipeline {
    private final ScrapeLoop loop;
    private final Appendable storage;

    /**
     * @param config a validated scrape configuration
     * @param discovered the target's discovered labels (at least {@code __address__})
     * @throws IllegalArgumentException when relabeling drops the target or it is invalid
     */
    public ScrapePipeline(ScrapeConfig config, Labels discovered, Appendable storage) {
        TargetGroup g = new TargetGroup("0", List.of(discovered), Labels.EMPTY);
        TargetBuilder.Result r = new TargetBuilder(config).build(g, discovered);
        if (r.target() == null) {
            throw new IllegalArgumentException(r.error() != null ? r.error() : "target dropped by relabeling");
        }
        this.loop = new ScrapeLoop(r.target(), config, null, storage, new ScrapeCache(), ScrapeOptions.DEFAULT);
        this.storage = storage;
    }

    /**
     * Appends one scrape's body at time {@code t} and commits.
     *
     * @return samples appended (after relabeling)
     * @throws ScrapeException for what fails a scrape (parse error, limits, content type)
     */
    public int append(byte[] body, int length, String contentType, long t) throws ScrapeException, IOException {
        Appender app = storage.appender();
        try {
            loop.appendParsed(app, Parsers.create(Parsers.choose(contentType, loop.fallback()).format(), body, 0, length), t);
        } catch (UnsupportedContentTypeException e) {
            app.rollback();
            throw new ScrapeException(e.getMessage());
        } catch (ScrapeException e) {
            app.rollback();
            throw e;
        }
        app.commit();
        return loop.added();
    }

    /** Series the pipeline's scrape cache holds. */
    public int cachedSeries() {
        return loop.cache.size();
    }
}

package io.specula.model.lint;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.Parser;
import java.util.ArrayList;
import java.util.List;

/** A {@link Parser} replaying a scripted list of entries, for testing consumers without a real parser. */
final class ScriptedParser implements Parser {
    private record Item(Entry entry, String name, MetricType type, String text, Labels labels, double value) {}

    private final List<Item> items = new ArrayList<>();
    private int pos = -1;

    ScriptedParser help(String name, String text) {
        items.add(new Item(Entry.HELP, name, null, text, null, 0));
        return this;
    }

    ScriptedParser type(String name, MetricType type) {
        items.add(new Item(Entry.TYPE, name, type, null, null, 0));
        return this;
    }

    ScriptedParser unit(String name, String unit) {
        items.add(new Item(Entry.UNIT, name, null, unit, null, 0));
        return this;
    }

    ScriptedParser comment(String text) {
        items.add(new Item(Entry.COMMENT, null, null, text, null, 0));
        return this;
    }

    /** A sample; {@code labels} are name/value pairs without {@code __name__}. */
    ScriptedParser series(String name, double value, String... labels) {
        Labels l = Labels.of(labels).toBuilder().set(Labels.METRIC_NAME, name).build();
        items.add(new Item(Entry.SERIES, name, null, null, l, value));
        return this;
    }

    private Item cur() {
        return items.get(pos);
    }

    @Override
    public Entry next() {
        return ++pos < items.size() ? cur().entry() : null;
    }

    @Override
    public byte[] seriesBytes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int seriesOffset() {
        return 0;
    }

    @Override
    public int seriesLength() {
        return 0;
    }

    @Override
    public void labels(LabelsBuilder into, SymbolTable symbols) {
        into.reset(cur().labels());
    }

    @Override
    public double value() {
        return cur().value();
    }

    @Override
    public boolean hasTimestamp() {
        return false;
    }

    @Override
    public long timestamp() {
        return 0;
    }

    @Override
    public boolean exemplar(Exemplar into) {
        return false;
    }

    @Override
    public boolean hasCreatedTimestamp() {
        return false;
    }

    @Override
    public long createdTimestamp() {
        return 0;
    }

    @Override
    public String metricFamily() {
        return cur().name();
    }

    @Override
    public MetricType type() {
        return cur().type();
    }

    @Override
    public String text() {
        return cur().text();
    }

    @Override
    public int line() {
        return pos + 1;
    }
}

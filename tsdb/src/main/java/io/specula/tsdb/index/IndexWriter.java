package io.specula.tsdb.index;

import io.specula.model.labels.Labels;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.Crc32c;
import io.specula.tsdb.encoding.DataInput;
import io.specula.tsdb.encoding.FileDataOutput;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an index file in {@link IndexFormat} (version 2, byte for byte as Prometheus 2.42
 * writes it), streaming: all symbols first ({@link #addSymbol}, sorted), then all series
 * ({@link #addSeries}, sorted by label set), then {@link #close()} writes label indices,
 * postings, offset tables and TOC, and syncs the file.
 *
 * <p><b>Memory.</b> Series go straight to the file through a 1 MiB buffer; only the last
 * label set is kept. The writer holds 16–24 bytes per symbol (see {@link WriterSymbols}) and
 * a counter per label name. On close, postings are rebuilt from the written series section
 * (see {@link PostingsInverter}), one batch of label names at a time: 4 bytes per postings
 * entry of the batch (at most one per series) plus about 50 bytes per distinct label pair
 * in it. The worst case is a label with a distinct value on every series. Postings and the
 * postings offset table are staged in two temporary files beside the index
 * ({@code index_tmp_p}, {@code index_tmp_po}), deleted on close. Measured: 1 M series with
 * 4 labels, one of them unique per series (1 M symbols, 107 MB index), complete with
 * {@code -Xmx96m} (not with 64m) in about 5.5 s on a 2-core machine.
 *
 * <p>Invalid input (symbols out of order, an unknown symbol, series out of order, bad chunk
 * ranges) raises {@link IllegalArgumentException} before anything is written, so the writer
 * stays usable. An {@link IOException} leaves it failed: {@link #close()} then only
 * releases resources. Not thread-safe.
 */
public final class IndexWriter implements Closeable {
    private enum Stage { SYMBOLS, SERIES, DONE }

    private static final int BUFFER = 1 << 20;

    private final Path path;
    private final String file;
    private final FileDataOutput out;
    private final Arena arena = Arena.ofConfined();
    private final WriterSymbols symbols = new WriterSymbols();
    private final LongIntHashMap nameUses = new LongIntHashMap(256);
    private final ByteArrayDataOutput entry = new ByteArrayDataOutput(512);
    private int[] entryNames = new int[32];
    private final boolean labelIndices;
    private Stage stage = Stage.SYMBOLS;
    private boolean failed;
    private boolean closed;

    private final long symbolsStart = IndexFormat.HEADER_LEN;
    private long seriesStart;
    private String lastSymbol;
    private Labels lastSeries = Labels.EMPTY;
    private long lastChunkRef;
    private int seriesCount;

    private IndexWriter(Path path, FileDataOutput out, boolean labelIndices) {
        this.path = path;
        this.file = path.toString();
        this.out = out;
        this.labelIndices = labelIndices;
    }

    /** Creates the index file at {@code path}, replacing any existing one, in Prometheus 2.42's layout. */
    public static IndexWriter create(Path path) throws IOException {
        return create(path, true);
    }

    /**
     * Creates the index file at {@code path}, replacing any existing one.
     *
     * @param labelIndices whether to write the label index sections and the label offset
     *     table as Prometheus up to 3.5 does; since 3.6 Prometheus leaves them out (no reader
     *     uses them), pointing both TOC entries at the next section
     */
    public static IndexWriter create(Path path, boolean labelIndices) throws IOException {
        Files.deleteIfExists(path);
        FileDataOutput out = FileDataOutput.create(path, BUFFER);
        out.writeBE32(IndexFormat.MAGIC);
        out.writeByte(IndexFormat.VERSION_2);
        out.writeBE32(0); // symbol table length and count, patched when the symbols are complete
        out.writeBE32(0);
        return new IndexWriter(path, out, labelIndices);
    }

    /**
     * Appends a symbol: every label name and value used by a series must be one. Symbols must
     * come in strictly increasing {@link Utf8Order}, before the first series.
     */
    public void addSymbol(String symbol) throws IOException {
        ensureOpen();
        if (stage != Stage.SYMBOLS) {
            throw new IllegalStateException("symbols must be added before series");
        }
        if (lastSymbol != null && Utf8Order.compare(symbol, lastSymbol) <= 0) {
            throw new IllegalArgumentException("symbol \"" + symbol + "\" out-of-order after \"" + lastSymbol + "\"");
        }
        guard(() -> {
            symbols.add(symbol, out.position() - symbolsStart - 8);
            out.writeUvarintString(symbol);
        });
        lastSymbol = symbol;
    }

    /**
     * Appends a series with its chunks. Series must come in strictly increasing
     * {@link Utf8Order#compare(Labels, Labels)} order; chunks in time order, not overlapping,
     * with references that never decrease across the whole index.
     *
     * @return the series reference (its offset / 16), which postings will hold
     */
    public long addSeries(Labels labels, ChunkMetas chunks) throws IOException {
        ensureOpen();
        if (stage == Stage.SYMBOLS) {
            guard(this::finishSymbols);
        }
        if (Utf8Order.compare(labels, lastSeries) <= 0) {
            throw new IllegalArgumentException("out-of-order series added with label set " + labels + ", last label set " + lastSeries);
        }
        long chunkRef = lastChunkRef, lastMaxT = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.ref(i) < chunkRef) {
                throw new IllegalArgumentException("unsorted chunk reference: " + chunks.ref(i) + ", previous: " + chunkRef);
            }
            chunkRef = chunks.ref(i);
            if (i > 0 && chunks.minTime(i) <= lastMaxT) {
                throw new IllegalArgumentException("chunk minT " + chunks.minTime(i) + " is not higher than previous chunk maxT " + lastMaxT);
            }
            if (chunks.maxTime(i) < chunks.minTime(i)) {
                throw new IllegalArgumentException("chunk maxT " + chunks.maxTime(i) + " is less than minT " + chunks.minTime(i));
            }
            lastMaxT = chunks.maxTime(i);
        }
        encodeEntry(labels, chunks);

        long pos = (out.position() + IndexFormat.SERIES_ALIGNMENT - 1) & -IndexFormat.SERIES_ALIGNMENT;
        long ref = pos / IndexFormat.SERIES_ALIGNMENT;
        if (ref > IndexFormat.MAX_SERIES_REF) {
            throw new IOException(file + ": series section exceeds 64 GiB: series references no longer fit in 32 bits");
        }
        guard(() -> {
            out.pad(IndexFormat.SERIES_ALIGNMENT);
            out.writeUvarint(entry.size());
            out.writeBytes(entry.array(), 0, entry.size());
            out.writeBE32(Crc32c.of(entry.array(), 0, entry.size()));
        });
        for (int i = 0; i < labels.size(); i++) {
            nameUses.addTo(entryNames[i], 1);
        }
        lastSeries = labels;
        lastChunkRef = chunkRef;
        seriesCount++;
        return ref;
    }

    /** Encodes labels and chunk metas into {@link #entry}; label name references into {@link #entryNames}. */
    private void encodeEntry(Labels labels, ChunkMetas chunks) throws IOException {
        entry.reset();
        entry.writeUvarint(labels.size());
        if (entryNames.length < labels.size()) {
            entryNames = new int[labels.size()];
        }
        for (int i = 0; i < labels.size(); i++) {
            int name = symbolRef(labels.name(i));
            entryNames[i] = name;
            entry.writeUvarint(name);
            entry.writeUvarint(symbolRef(labels.value(i)));
        }
        entry.writeUvarint(chunks.size());
        long prevMaxT = 0, prevRef = 0;
        for (int i = 0; i < chunks.size(); i++) {
            long mint = chunks.minTime(i), maxt = chunks.maxTime(i), ref = chunks.ref(i);
            if (i == 0) {
                entry.writeVarint(mint);
                entry.writeUvarint(maxt - mint);
                entry.writeUvarint(ref);
            } else {
                entry.writeUvarint(mint - prevMaxT);
                entry.writeUvarint(maxt - mint);
                entry.writeVarint(ref - prevRef);
            }
            prevMaxT = maxt;
            prevRef = ref;
        }
    }

    private int symbolRef(String s) throws IOException {
        int ref = symbols.lookup(s);
        if (ref < 0) {
            throw new IllegalArgumentException("symbol entry for \"" + s + "\" does not exist");
        }
        return ref;
    }

    /** Patches length and count of the symbol table and appends its checksum. */
    private void finishSymbols() throws IOException {
        long end = out.position();
        long len = end - symbolsStart - 4;
        if (len > 0xFFFF_FFFFL) {
            throw new IOException(file + ": symbol table exceeds 4 GiB");
        }
        out.writeBE32At(symbolsStart, (int) len);
        out.writeBE32At(symbolsStart + 4, symbols.count());
        out.flush();
        // Read the table back through a mapping: the checksum covers the count, known only now,
        // and the mapping is where symbol lookups compare strings from here on.
        MemorySegment written = out.channel().map(MapMode.READ_ONLY, 0, end, arena);
        out.writeBE32(Crc32c.of(written, symbolsStart + 4, end));
        symbols.attach(written.asSlice(symbolsStart + 8), file);
        stage = Stage.SERIES;
        seriesStart = out.position();
    }

    /** Writes the sections after the series, the TOC, and syncs. */
    private void finish() throws IOException {
        if (stage == Stage.SYMBOLS) {
            finishSymbols();
        }
        stage = Stage.DONE;
        long seriesEnd = out.position();
        out.flush();
        MemorySegment series = out.channel().map(MapMode.READ_ONLY, 0, seriesEnd, arena);
        PostingsInverter inverter = new PostingsInverter(series, file, seriesStart, seriesEnd, seriesCount);

        Path pPath = Path.of(file + "_tmp_p"), poPath = Path.of(file + "_tmp_po");
        try (FileDataOutput p = FileDataOutput.create(pPath, BUFFER); FileDataOutput po = FileDataOutput.create(poPath, BUFFER)) {
            int[] poCount = new int[1];
            // The list of all series: label pair "" = "", first in the postings section.
            writeListHeader(p, seriesCount);
            inverter.allSeries(p::writeBE32);
            p.writeBE32(p.endChecksum());

            long[] keys = nameUses.keys();
            Arrays.sort(keys);
            int[] names = new int[keys.length], uses = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                names[i] = (int) keys[i];
                uses[i] = nameUses.get(keys[i], 0);
            }
            inverter.invert(names, uses, (name, value, refs, from, to) -> {
                p.pad(IndexFormat.LIST_ALIGNMENT);
                po.writeUvarint(name);
                po.writeUvarint(value);
                po.writeUvarint(p.position());
                poCount[0]++;
                writeListHeader(p, to - from);
                for (int i = from; i < to; i++) {
                    p.writeBE32(refs[i]);
                }
                p.writeBE32(p.endChecksum());
            });
            p.flush();
            po.flush();
            MemorySegment poSeg = po.position() == 0 ? MemorySegment.NULL
                    : po.channel().map(MapMode.READ_ONLY, 0, po.position(), arena);

            long labelIndicesStart = seriesEnd;
            List<LabelIndexEntry> labelIndex = labelIndices ? writeLabelIndices(poSeg, poCount[0], poPath.toString()) : List.of();

            long postings = out.position();
            out.pad(IndexFormat.LIST_ALIGNMENT);
            long postingsStart = out.position();
            out.copyFrom(p.channel(), 0, p.position());

            long labelIndicesTable = out.position();
            if (labelIndices) {
                writeLabelOffsetTable(labelIndex);
            }
            long postingsTable = out.position();
            writePostingsOffsetTable(poSeg, poCount[0], poPath.toString(), postingsStart);

            out.beginChecksum();
            new Toc(symbolsStart, seriesStart, labelIndicesStart, labelIndicesTable, postings, postingsTable).write(out);
            out.writeBE32(out.endChecksum());
            out.sync();
        } finally {
            Files.deleteIfExists(pPath);
            Files.deleteIfExists(poPath);
        }
    }

    /** Length (4 + 4n), then the checksummed count; the caller adds n references and the CRC. */
    private static void writeListHeader(FileDataOutput p, int n) throws IOException {
        long len = 4 + 4L * Integer.toUnsignedLong(n);
        if (len > 0xFFFF_FFFFL) {
            throw new IOException(p.path() + ": postings list of " + n + " series exceeds 4 GiB");
        }
        p.writeBE32((int) len);
        p.beginChecksum();
        p.writeBE32(n);
    }

    private record LabelIndexEntry(int nameRef, long offset) {}

    /** One label index section per label name: the sorted references of its values. */
    private List<LabelIndexEntry> writeLabelIndices(MemorySegment po, int count, String poFile) throws IOException {
        List<LabelIndexEntry> entries = new ArrayList<>();
        DataInput in = new DataInput(po, poFile);
        int[] values = new int[64];
        int n = 0;
        long current = -1;
        for (int i = 0; i <= count; i++) {
            long name = -1, value = 0;
            if (i < count) {
                name = in.readUvarint();
                value = in.readUvarint();
                in.readUvarint(); // postings offset
            }
            if (name != current && n > 0) {
                if (n > (0xFFFF_FFFFL - 8) / 4) {
                    throw new IOException(file + ": label index of " + n + " values exceeds 4 GiB");
                }
                out.pad(IndexFormat.LIST_ALIGNMENT);
                entries.add(new LabelIndexEntry((int) current, out.position()));
                out.writeBE32(4 + 4 + 4 * n);
                out.beginChecksum();
                out.writeBE32(1);
                out.writeBE32(n);
                for (int k = 0; k < n; k++) {
                    out.writeBE32(values[k]);
                }
                out.writeBE32(out.endChecksum());
                n = 0;
            }
            current = name;
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = (int) value;
        }
        return entries;
    }

    private void writeLabelOffsetTable(List<LabelIndexEntry> entries) throws IOException {
        long start = out.position();
        out.writeBE32(0);
        out.beginChecksum();
        out.writeBE32(entries.size());
        for (LabelIndexEntry e : entries) {
            out.writeUvarint(1);
            symbols.writeTo(e.nameRef(), out);
            out.writeUvarint(e.offset());
        }
        finishTable(start);
    }

    private void writePostingsOffsetTable(MemorySegment po, int count, String poFile, long postingsStart) throws IOException {
        long start = out.position();
        out.writeBE32(0);
        out.beginChecksum();
        out.writeBE32(count + 1);
        out.writeUvarint(2);
        out.writeUvarintString(IndexFormat.ALL_POSTINGS_NAME);
        out.writeUvarintString(IndexFormat.ALL_POSTINGS_VALUE);
        out.writeUvarint(postingsStart);
        DataInput in = new DataInput(po, poFile);
        for (int i = 0; i < count; i++) {
            int name = (int) in.readUvarint(), value = (int) in.readUvarint();
            long offset = in.readUvarint();
            out.writeUvarint(2);
            symbols.writeTo(name, out);
            symbols.writeTo(value, out);
            out.writeUvarint(postingsStart + offset);
        }
        finishTable(start);
    }

    /** Ends the checksum of a table that started with a length placeholder at {@code start}. */
    private void finishTable(long start) throws IOException {
        int crc = out.endChecksum();
        long len = out.position() - start - 4;
        if (len > 0xFFFF_FFFFL) {
            throw new IOException(file + ": offset table exceeds 4 GiB");
        }
        out.writeBE32At(start, (int) len);
        out.writeBE32(crc);
    }

    /** Finishes the index (unless an earlier write failed) and releases everything. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                guard(this::finish);
            }
        } finally {
            try {
                out.close();
            } finally {
                arena.close();
            }
        }
    }

    /** Releases everything and deletes the unfinished file. */
    public void abort() throws IOException {
        failed = true;
        try {
            close();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("index writer closed");
        }
        if (failed) {
            throw new IllegalStateException("index writer failed earlier");
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs a write; any I/O failure (also one surfacing from a buffered write) fails the writer. */
    private void guard(IoAction action) throws IOException {
        try {
            action.run();
        } catch (UncheckedIOException e) {
            failed = true;
            throw e.getCause();
        } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }
}

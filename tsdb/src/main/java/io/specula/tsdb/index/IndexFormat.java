package io.specula.tsdb.index;

/**
 * Constants and byte layout of a block's {@code index} file: Prometheus's index format
 * version 2, as Prometheus 2.42 writes it. All integers are big-endian unless marked
 * uvarint/varint (Go's {@code encoding/binary}); every CRC32 is Castagnoli.
 *
 * <pre>
 * header      magic 0xBAAAD700 &lt;4b&gt; | version 2 &lt;1b&gt;
 * symbols     len &lt;4b&gt; | count &lt;4b&gt; | (len &lt;uvarint&gt; utf-8 bytes)* | CRC &lt;4b&gt;
 *             sorted byte-wise, deduplicated; a symbol's reference is its index (0-based)
 * series      for each series, in label-set order, starting at a multiple of 16 (zero
 *             padding before it); the series reference (ID) is offset / 16:
 *               len &lt;uvarint&gt; (bytes up to, not including, the CRC)
 *               #labels &lt;uvarint&gt; | (name ref &lt;uvarint32&gt; | value ref &lt;uvarint32&gt;)*
 *               #chunks &lt;uvarint&gt;
 *               first chunk: mint &lt;varint64&gt; | maxt - mint &lt;uvarint64&gt; | ref &lt;uvarint64&gt;
 *               next chunks: mint - previous maxt &lt;uvarint64&gt; | maxt - mint &lt;uvarint64&gt; |
 *                            ref - previous ref &lt;varint64&gt;
 *               CRC &lt;4b&gt; of the len bytes
 * label index one per label name, sorted by name, each 4-byte aligned:
 *               len &lt;4b&gt; | #names = 1 &lt;4b&gt; | #values &lt;4b&gt; | value ref &lt;4b&gt;* (sorted) | CRC &lt;4b&gt;
 *             (no longer read by Prometheus, still written by 2.42; written here for it)
 * postings    4-byte aligned; first the list of all series (label pair "" = ""), then one
 *             list per label pair sorted by name, then value:
 *               len &lt;4b&gt; | #refs &lt;4b&gt; | series ref &lt;4b&gt;* (increasing) | CRC &lt;4b&gt;
 * label offset table
 *             len &lt;4b&gt; | #entries &lt;4b&gt; | (1 &lt;uvarint&gt; | name &lt;uvarint str&gt; | offset &lt;uvarint64&gt;)* | CRC &lt;4b&gt;
 * postings offset table
 *             len &lt;4b&gt; | #entries &lt;4b&gt; |
 *             (2 &lt;uvarint&gt; | name &lt;uvarint str&gt; | value &lt;uvarint str&gt; | offset &lt;uvarint64&gt;)* | CRC &lt;4b&gt;
 *             in postings order, offsets pointing at each list's len field
 * TOC         offsets &lt;8b each&gt; of: symbols, series, label indices, label offset table,
 *             postings, postings offset table | CRC &lt;4b&gt; of the 48 bytes
 * </pre>
 *
 * <p>Every {@code len} counts the bytes between itself and the trailing CRC, which covers
 * exactly those bytes. Sections follow each other in the order above; the TOC offsets of
 * label indices and postings point before their alignment padding. Zero bytes between
 * sections and entries are padding. Series references are 32-bit in postings, so the
 * series section must end below 64 GiB.
 */
public final class IndexFormat {
    private IndexFormat() {}

    public static final int MAGIC = 0xBAAAD700;
    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int HEADER_LEN = 5;
    /** Six 8-byte offsets and a CRC. */
    public static final int TOC_LEN = 6 * 8 + 4;
    public static final int SERIES_ALIGNMENT = 16;
    /** Alignment of label index sections and postings lists. */
    public static final int LIST_ALIGNMENT = 4;
    /** The label pair whose postings list holds every series. */
    public static final String ALL_POSTINGS_NAME = "";
    public static final String ALL_POSTINGS_VALUE = "";
    /** Highest series reference a 4-byte postings entry can hold. */
    public static final long MAX_SERIES_REF = 0xFFFF_FFFFL;
}

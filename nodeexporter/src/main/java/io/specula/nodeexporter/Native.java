package io.specula.nodeexporter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The few libc calls the collectors need and the JDK lacks ({@code statfs}, {@code uname},
 * {@code adjtimex}, {@code getpagesize}), through the Foreign Function API. Struct offsets are
 * those of 64-bit Linux (x86-64 and arm64 share them); elsewhere {@link #available()} is false
 * and the collectors that need these calls fail with a message.
 *
 * <p>Each instance owns its native buffers (allocated once); not thread-safe.
 */
final class Native implements AutoCloseable {
    private static final MethodHandle STATFS;
    private static final MethodHandle UNAME;
    private static final MethodHandle ADJTIMEX;
    private static final MethodHandle PAGESIZE;
    private static final VarHandle ERRNO;
    private static final long ERRNO_OFFSET;
    private static final String UNAVAILABLE;
    static final int STATFS_SIZE = 120;
    static final int UTSNAME_FIELD = 65;
    static final int TIMEX_SIZE = 208;

    static {
        MethodHandle st = null;
        MethodHandle un = null;
        MethodHandle adj = null;
        MethodHandle ps = null;
        String why = null;
        try {
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
                throw new UnsupportedOperationException("needs 64-bit Linux, this is " + System.getProperty("os.name") + "/" + arch);
            }
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            st = linker.downcallHandle(libc.find("statfs").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS), errno);
            un = linker.downcallHandle(libc.find("uname").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS));
            adj = linker.downcallHandle(libc.find("adjtimex").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS), errno);
            ps = linker.downcallHandle(libc.find("getpagesize").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        } catch (RuntimeException | Error e) {
            why = e.getMessage() == null ? e.toString() : e.getMessage();
            st = un = adj = ps = null;
        }
        STATFS = st;
        UNAME = un;
        ADJTIMEX = adj;
        PAGESIZE = ps;
        UNAVAILABLE = why;
        var layout = Linker.Option.captureStateLayout();
        ERRNO = layout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        ERRNO_OFFSET = 0;
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment statfsBuf = arena.allocate(STATFS_SIZE, 8);
    private final MemorySegment utsBuf = arena.allocate(UTSNAME_FIELD * 6L, 8);
    private final MemorySegment timexBuf = arena.allocate(TIMEX_SIZE, 8);
    private final MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
    /** Path bytes of the last statfs call, NUL-terminated; grown as needed. */
    private MemorySegment pathBuf = arena.allocate(4096);

    static boolean available() {
        return UNAVAILABLE == null;
    }

    private static void check() throws IOException {
        if (UNAVAILABLE != null) {
            throw new IOException("native calls unavailable: " + UNAVAILABLE);
        }
    }

    /** statfs(2) of {@code path} into the result fields; false with {@link #errno} set on failure. */
    boolean statfs(String path) throws IOException {
        return statfs(path.getBytes(StandardCharsets.UTF_8));
    }

    /** statfs(2) of the path given as UTF-8 bytes (without the terminating NUL). */
    boolean statfs(byte[] b) throws IOException {
        check();
        if (b.length + 1 > pathBuf.byteSize()) {
            pathBuf = arena.allocate(b.length + 1);
        }
        MemorySegment.copy(b, 0, pathBuf, ValueLayout.JAVA_BYTE, 0, b.length);
        pathBuf.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        try {
            int rc = (int) STATFS.invokeExact(callState, pathBuf, statfsBuf);
            if (rc != 0) {
                errno = (int) ERRNO.get(callState, ERRNO_OFFSET);
                return false;
            }
            return true;
        } catch (Throwable t) {
            throw new IOException("statfs " + new String(b, StandardCharsets.UTF_8) + ": " + t, t);
        }
    }

    int errno;

    // struct statfs on 64-bit Linux: f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree (8 bytes each)
    long statfsBsize() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 8);
    }

    long statfsBlocks() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 16);
    }

    long statfsBfree() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 24);
    }

    long statfsBavail() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 32);
    }

    long statfsFiles() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 40);
    }

    long statfsFfree() {
        return statfsBuf.get(ValueLayout.JAVA_LONG, 48);
    }

    /** uname(2): sysname, nodename, release, version, machine, domainname. */
    String[] uname() throws IOException {
        check();
        try {
            int rc = (int) UNAME.invokeExact(utsBuf);
            if (rc != 0) {
                throw new IOException("uname failed");
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("uname: " + t, t);
        }
        String[] out = new String[6];
        for (int i = 0; i < 6; i++) {
            out[i] = utsBuf.asSlice((long) i * UTSNAME_FIELD, UTSNAME_FIELD).getString(0, StandardCharsets.UTF_8);
        }
        return out;
    }

    /** adjtimex(2) with modes 0 (read only); returns the clock state, the struct then readable. */
    int adjtimex() throws IOException {
        check();
        timexBuf.fill((byte) 0);
        try {
            int rc = (int) ADJTIMEX.invokeExact(callState, timexBuf);
            if (rc < 0) {
                throw new IOException("adjtimex failed: errno " + (int) ERRNO.get(callState, ERRNO_OFFSET));
            }
            return rc;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("adjtimex: " + t, t);
        }
    }

    /** A long field of struct timex at {@code offset}. */
    long timexLong(long offset) {
        return timexBuf.get(ValueLayout.JAVA_LONG, offset);
    }

    /** An int field of struct timex at {@code offset}. */
    int timexInt(long offset) {
        return timexBuf.get(ValueLayout.JAVA_INT, offset);
    }

    static int pageSize() {
        if (PAGESIZE == null) {
            return 4096;
        }
        try {
            return (int) PAGESIZE.invokeExact();
        } catch (Throwable t) {
            return 4096;
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}

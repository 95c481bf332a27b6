package io.specula.promql.engine;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What the process keeps alive on the heap, as the collectors report it: the least heap in use
 * right after a collection over the last one to two minutes. After a young collection the old
 * generation's garbage still counts, so the least value of a window (which includes the mixed and
 * periodic collections) is the closest to the live set that a collector reports without a full
 * collection. One listener per JVM, whatever the collector; 0 until the first collection.
 */
final class LiveHeap {
    static final long WINDOW_NANOS = 60_000_000_000L;
    private static final LiveHeap INSTANCE = new LiveHeap(System::nanoTime);

    private final LongSupplier clock;
    private long windowStart;
    private long previousMin = Long.MAX_VALUE;
    private long currentMin = Long.MAX_VALUE;
    private volatile long estimate;

    LiveHeap(LongSupplier clock) {
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** The JVM's tracker, listening to every collector from the first call on. */
    static LiveHeap get() {
        Listening.ensure();
        return INSTANCE;
    }

    /** Bytes; 0 before any collection was seen. */
    long bytes() {
        return estimate;
    }

    /** A collection left {@code used} bytes of heap in use. */
    synchronized void collected(long used) {
        long now = clock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            previousMin = currentMin;
            currentMin = Long.MAX_VALUE;
            windowStart = now;
        }
        currentMin = Math.min(currentMin, used);
        estimate = Math.min(previousMin, currentMin);
    }

    /** Registers the listener once, when the holder class is first used: tests that never query pay nothing. */
    private static final class Listening {
        static {
            register();
        }

        static void ensure() {
            // loading this class ran register()
        }

        private static void register() {
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heapPools.add(p.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener((Notification n, Object h) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            long used = 0;
                            var after = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                                    .getGcInfo().getMemoryUsageAfterGc();
                            for (var pool : after.entrySet()) {
                                if (heapPools.contains(pool.getKey())) { // the map has metaspace and code too
                                    used += pool.getValue().getUsed();
                                }
                            }
                            INSTANCE.collected(used);
                        }
                    }, null, null);
                }
            }
        }
    }
}

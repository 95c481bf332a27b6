package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;

/** {@code timex}: the kernel clock discipline as adjtimex(2) reports it, in node_exporter's units. */
final class TimexCollector implements Collector {
    // struct timex field offsets on 64-bit Linux
    private static final long OFFSET = 8;
    private static final long FREQ = 16;
    private static final long MAXERROR = 24;
    private static final long ESTERROR = 32;
    private static final long STATUS = 40;
    private static final long CONSTANT = 48;
    private static final long TICK = 88;
    private static final long PPSFREQ = 96;
    private static final long JITTER = 104;
    private static final long SHIFT = 112;
    private static final long STABIL = 120;
    private static final long JITCNT = 128;
    private static final long CALCNT = 136;
    private static final long ERRCNT = 144;
    private static final long STBCNT = 152;
    private static final long TAI = 160;
    private static final int STA_NANO = 0x2000;
    private static final int TIME_ERROR = 5;
    /** Frequencies are in ppm scaled by 2^16. */
    private static final double PPM16 = 1_000_000.0 * 65536.0;

    private final Native nat;

    TimexCollector(Native nat) {
        this.nat = nat;
    }

    @Override
    public String name() {
        return "timex";
    }

    @Override
    public void update(Emitter out) throws IOException {
        int state = nat.adjtimex();
        int status = nat.timexInt(STATUS);
        double divisor = (status & STA_NANO) != 0 ? 1e9 : 1e6;
        out.gauge("node_timex_estimated_error_seconds", "Estimated error in seconds.", nat.timexLong(ESTERROR) / 1e6);
        out.gauge("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", 1 + nat.timexLong(FREQ) / PPM16);
        out.gauge("node_timex_loop_time_constant", "Phase-locked loop time constant.", nat.timexLong(CONSTANT));
        out.gauge("node_timex_maxerror_seconds", "Maximum error in seconds.", nat.timexLong(MAXERROR) / 1e6);
        out.gauge("node_timex_offset_seconds", "Time offset in between local system and reference clock.",
                nat.timexLong(OFFSET) / divisor);
        out.single("node_timex_pps_calibration_total", MetricType.COUNTER, "Pulse per second count of calibration intervals.",
                nat.timexLong(CALCNT));
        out.single("node_timex_pps_error_total", MetricType.COUNTER, "Pulse per second count of calibration errors.",
                nat.timexLong(ERRCNT));
        out.gauge("node_timex_pps_frequency_hertz", "Pulse per second frequency.", nat.timexLong(PPSFREQ) / PPM16);
        out.gauge("node_timex_pps_jitter_seconds", "Pulse per second jitter.", nat.timexLong(JITTER) / divisor);
        out.single("node_timex_pps_jitter_total", MetricType.COUNTER, "Pulse per second count of jitter limit exceeded events.",
                nat.timexLong(JITCNT));
        out.gauge("node_timex_pps_shift_seconds", "Pulse per second interval duration.", nat.timexInt(SHIFT));
        out.single("node_timex_pps_stability_exceeded_total", MetricType.COUNTER,
                "Pulse per second count of stability limit exceeded events.", nat.timexLong(STBCNT));
        out.gauge("node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.",
                nat.timexLong(STABIL) / PPM16);
        out.gauge("node_timex_status", "Value of the status array bits.", status);
        out.gauge("node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
                state == TIME_ERROR ? 0 : 1);
        out.gauge("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", nat.timexInt(TAI));
        out.gauge("node_timex_tick_seconds", "Seconds between clock ticks.", nat.timexLong(TICK) / 1e6);
    }
}

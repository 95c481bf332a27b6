import io.specula.benchmarks.tsdb.HeadSelectBenchmark;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU time (this thread's and the whole process's) and allocation per sample of
 * {@link HeadSelectBenchmark}'s two head queries, median of N half-second batches after five
 * warm-up batches. CPU time rather than JMH's throughput, because on a shared machine a busy
 * neighbour moves throughput far more than it moves the CPU a query takes. Runs against any
 * benchmarks jar that has the JMH class, so two builds compare:
 * {@code java -cp benchmarks/target/benchmarks.jar bench/HeadSelectCpu.java [N]}.
 */
public class HeadSelectCpu {
    public static void main(String[] a) throws Exception {
        HeadSelectBenchmark b = new HeadSelectBenchmark();
        b.setup();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (String which : new String[] {"oneMetric", "lastHalfHour"}) {
            boolean one = which.equals("oneMetric");
            long perOp = one ? 2000 / 10 * 720 : 2000 * 180;
            double[] ns = new double[Integer.parseInt(a.length > 0 ? a[0] : "15")], pns = new double[ns.length], al = new double[ns.length];
            for (int r = -5; r < ns.length; r++) {
                long c0 = mx.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), a0 = mx.getCurrentThreadAllocatedBytes();
                int ops = 0;
                while (mx.getCurrentThreadCpuTime() - c0 < 500_000_000L) {
                    if (one) b.oneMetric(bh); else b.lastHalfHour(bh);
                    ops++;
                }
                long c1 = mx.getCurrentThreadCpuTime(), p1 = os.getProcessCpuTime(), a1 = mx.getCurrentThreadAllocatedBytes();
                if (r >= 0) {
                    ns[r] = (double) (c1 - c0) / ops / perOp;
                    pns[r] = (double) (p1 - p0) / ops / perOp;
                    al[r] = (double) (a1 - a0) / ops / perOp;
                }
            }
            Arrays.sort(ns);
            Arrays.sort(pns);
            Arrays.sort(al);
            int m = ns.length / 2;
            System.out.printf("%s: thread %.2f ns/sample (%.2f-%.2f), process %.2f ns/sample (%.2f-%.2f), %.2f B/sample allocated%n", which, ns[m], ns[0], ns[ns.length - 1], pns[m], pns[0], pns[pns.length - 1], al[m]);
        }
    }
}

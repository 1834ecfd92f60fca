package id.dtks.lakehouse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time spent by this process (all its threads, DuckDB's native ones included) and by the rest of
 * the machine over a timed run. A benchmark on a shared machine is only as good as its quiet: the
 * report states how much CPU other processes took while each method ran.
 */
final class CpuMeter {
  /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every architecture it runs. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final Path PROC_STAT = Path.of("/proc/stat");

  /**
   * CPU seconds over one run: this process's, and everything else the cores did meanwhile (other
   * processes, and on a VM the time the host gave to other machines); NaN when /proc/stat cannot be read.
   */
  record Usage(double ownSeconds, double otherSeconds) {}

  private final long processNanos;
  private final long machineTicks;

  private CpuMeter(long processNanos, long machineTicks) {
    this.processNanos = processNanos;
    this.machineTicks = machineTicks;
  }

  static CpuMeter start() {
    return new CpuMeter(processCpuNanos(), machineBusyTicks());
  }

  Usage stop() {
    double own = (processCpuNanos() - processNanos) / 1e9;
    long ticks = machineBusyTicks();
    double machine = ticks < 0 || machineTicks < 0 ? Double.NaN : (ticks - machineTicks) / TICKS_PER_SECOND;
    // Both clocks tick at their own grain (10 ms for /proc/stat): never report a negative remainder.
    return new Usage(own, Math.max(0, machine - own));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Busy ticks of all cores: the "cpu" line of /proc/stat without idle and iowait; -1 off Linux. */
  private static long machineBusyTicks() {
    try {
      List<String> lines = Files.readAllLines(PROC_STAT);
      String[] fields = lines.get(0).trim().split("\\s+");
      if (!fields[0].equals("cpu") || fields.length < 8) {
        return -1;
      }
      long busy = 0;
      // user nice system idle iowait irq softirq steal ...: everything but idle (4) and iowait (5).
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}

package id.dtks.lakehouse.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peaks of one step: the JVM heap in use (sampled every 100 ms: eden fills up between
 * collections, so this is mostly how far the heap was allowed to grow), the heap still live after a
 * collection (what the step really held, from the collector's own reports) and the lowest free space
 * on the disk the lakehouse is on. In local mode Spark's executors live in this JVM, so the heap is
 * theirs too.
 */
final class ResourcePeaks implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 100;

  /** One step's peaks, in bytes. */
  record Peaks(long heapUsed, long heapLiveAfterGc, long lowestFreeDisk) implements Serializable {}

  private final FileStore disk;
  private final AtomicLong heapUsed = new AtomicLong();
  private final AtomicLong heapLiveAfterGc = new AtomicLong();
  private final AtomicLong lowestFreeDisk = new AtomicLong(Long.MAX_VALUE);
  private final NotificationListener afterCollection = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      long live = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
      heapLiveAfterGc.accumulateAndGet(live, Math::max);
    }
  };
  private final Thread sampler;

  private ResourcePeaks(Path lakehouse) {
    try {
      this.disk = Files.getFileStore(lakehouse);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find the disk of " + lakehouse + ": " + e.getMessage(), e);
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener(afterCollection, null, null);
    }
    sampler = new Thread(this::sample, "resource-peaks");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts watching; the disk is the one {@code lakehouse} (an existing folder) is on. */
  static ResourcePeaks watch(Path lakehouse) {
    return new ResourcePeaks(lakehouse);
  }

  /** The peaks since the last call, then starts over. */
  Peaks take() {
    sampleOnce();
    return new Peaks(heapUsed.getAndSet(0), heapLiveAfterGc.getAndSet(0), lowestFreeDisk.getAndSet(Long.MAX_VALUE));
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      sampleOnce();
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sampleOnce() {
    heapUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    try {
      lowestFreeDisk.accumulateAndGet(disk.getUsableSpace(), Math::min);
    } catch (IOException e) {
      // A disk that cannot say how full it is leaves the last reading standing.
    }
  }

  @Override
  public void close() {
    sampler.interrupt();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) collector).removeNotificationListener(afterCollection);
      } catch (javax.management.ListenerNotFoundException e) {
        // not registered on this collector: nothing to remove
      }
    }
  }
}

package id.dtks.lakehouse.lakehouse;

/** The lakehouse layers, one folder each below the root, in the order data flows through them. */
public enum Layer {
  /** Reference data: regions, code history, population, BPS crosswalk. */
  REF("ref"),
  /** The raw exports as loaded, validated against the contract, with load metadata. */
  BRONZE("bronze"),
  /** Conformed: NIK checks, regions resolved, latest verivali status, model features. */
  SILVER("silver"),
  /** Curated tables that programs, analysts and dashboards read. */
  GOLD("gold"),
  /** Operations: the run log of every job run, with its reconciliation counts. */
  OPS("ops");

  private final String folder;

  Layer(String folder) {
    this.folder = folder;
  }

  public String folder() {
    return folder;
  }
}

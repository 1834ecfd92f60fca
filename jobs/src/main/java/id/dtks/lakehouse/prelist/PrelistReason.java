package id.dtks.lakehouse.prelist;

import java.util.Arrays;
import java.util.List;

/**
 * Why a household is on the prelist: in the target desil range, or in need of a check whatever
 * its desil. The codes are stored in {@code gold.prelist.alasan} and the field exports.
 */
public enum PrelistReason {
  DESIL_SASARAN("ranked in the target desil range (dtks.prelist.desil-max, default 1-6: the 60% expansion)"),
  NIK_TIDAK_VALID("a living member's NIK breaks a NIK rule (jobs/docs/quarantine-reasons.md)"),
  NIK_TIDAK_PADAN("a living member's NIK is not matched with Dukcapil (TIDAK_PADAN or BELUM_DIPADANKAN)"),
  TIDAK_DIPERBARUI("no verivali update within dtks.prelist.verivali-window-months (default 24), or never"),
  ANGGOTA_MENINGGAL("a member reported dead (Dukcapil) is still listed"),
  OPERATOR_DICABUT("the last update came from an operator whose access is now revoked");

  private final String meaning;

  PrelistReason(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }

  /** The reasons that are checks (all but the desil range), as {@code dtks.prelist.checks} names them. */
  public static List<String> checkCodes() {
    return Arrays.stream(values()).filter(r -> r != DESIL_SASARAN).map(Enum::name).toList();
  }
}

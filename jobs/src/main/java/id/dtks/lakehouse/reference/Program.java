package id.dtks.lakehouse.reference;

import java.util.Arrays;
import java.util.List;

/**
 * The social assistance programs the registry feeds (DOMAIN.md), as their systems name them in the
 * {@code penerima_program} export, and the unit each one pays: a household, or a person.
 */
public enum Program {
  /** Program Keluarga Harapan: conditional cash for households with a pregnant member, children, elderly or severely disabled. */
  PKH(Unit.RUMAH_TANGGA),
  /** Bantuan Pangan Non Tunai / Sembako: food assistance per household. */
  BPNT(Unit.RUMAH_TANGGA),
  /** Penerima Bantuan Iuran Jaminan Kesehatan: health-insurance premiums, per person. */
  PBI_JK(Unit.INDIVIDU),
  /** Kartu Indonesia Pintar: school aid for members aged 6 to 21 in school. */
  KIP(Unit.INDIVIDU),
  /** Electricity subsidy for households on a 450 or 900 VA connection. */
  SUBSIDI_LISTRIK(Unit.RUMAH_TANGGA);

  /** The member conditions a program rule may name (dtks.programs.*.member-conditions). */
  public static final List<String> MEMBER_CONDITIONS = List.of("HAMIL", "BALITA", "SEKOLAH_6_21", "LANSIA_60", "DISABILITAS_BERAT");
  /** The household conditions a program rule may name (dtks.programs.*.household-conditions). */
  public static final List<String> HOUSEHOLD_CONDITIONS = List.of("DAYA_450_900");

  /** What a program counts: households or people. */
  public enum Unit {
    RUMAH_TANGGA,
    INDIVIDU
  }

  private final Unit unit;

  Program(Unit unit) {
    this.unit = unit;
  }

  public Unit unit() {
    return unit;
  }

  /** The codes of the programs paying {@code unit}. */
  public static List<String> codes(Unit unit) {
    return Arrays.stream(values()).filter(p -> p.unit == unit).map(Program::name).toList();
  }
}

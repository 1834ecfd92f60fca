package id.dtks.lakehouse.ingest;

/**
 * Why a raw row cannot be used: the closed list of reason codes of the quarantine table. A row
 * carries every reason that applies. jobs/docs/quarantine-reasons.md lists them for users;
 * QuarantineReasonsDocTest keeps the page and this list the same.
 */
public enum QuarantineReason {
  KUNCI_KOSONG("the primary key (id_rt, id_art, id_update, id_operator) is missing"),
  KUNCI_GANDA("the primary key appears again in the batch with the same content; the first copy is kept"),
  KUNCI_GANDA_BERBEDA("the primary key appears more than once with different content; no copy is kept"),
  KODE_DESA_TIDAK_DIKENAL("kode_desa is in no Kemendagri desa list (ref.wilayah)"),
  KODE_KABKOTA_TIDAK_DIKENAL("kode_kabkota is not one of the 514 kabupaten/kota"),
  NILAI_TIDAK_MUNGKIN("a value outside its possible range: floor area not above 0, more rooms than m², size not 1-30, consumption not above 0"),
  NILAI_KODE_TIDAK_DIKENAL("a coded column holds a value outside its list (raw-exports.md)"),
  TANGGAL_LAHIR_TIDAK_MUNGKIN("birth date after the period or more than 115 years before it"),
  TANGGAL_TIDAK_MUNGKIN("an event date after the end of the period"),
  RUMAH_TANGGA_TIDAK_DIKENAL("id_rt names no household of the batch"),
  RUMAH_TANGGA_DIKARANTINA("the row's household was itself quarantined"),
  ANGGOTA_TIDAK_DIKENAL("id_art names no member accepted from the batch"),
  OPERATOR_TIDAK_DIKENAL("id_operator names no operator account accepted from the batch"),
  OPERATOR_DICABUT("the update was entered after the operator's access was revoked"),
  PROGRAM_TIDAK_DIKENAL("program is not PKH, BPNT, PBI_JK, KIP or SUBSIDI_LISTRIK");

  private final String meaning;

  QuarantineReason(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}

"""Interactive PDF conversion: one persistent LibreOffice (unoserver) against one cold `soffice` per
document, measured in the same run on the same documents (the machines are shared and noisy: read the ratio);
then what tagging costs (documents/pdf.OPTIONS_PDF: tagged PDF, PDF/UA) on both, against untagged exports.

    python bench/pdf_conversion.py [N]

Last line: documents=N cold_s=T persistent_s=T persistent_startup_s=T ratio=Rx ratio_cpu=Rx tagging_cold=+P%
tagging_persistent=+P% (ratio_cpu: the same comparison in CPU seconds of this process and its LibreOffice processes,
which a busy machine does not stretch, bench/mesure.py)
"""

import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.mesure import Mesure  # noqa: E402
from documents import pdf, render  # noqa: E402
from forms.atelier import AttestationForm  # noqa: E402
from forms.contexte import ContexteCommun, EtablissementContexte  # noqa: E402


def documents(n: int) -> list[bytes]:
    commun = ContexteCommun(academie="Toulouse", ville_rectorat="Toulouse", annee_scolaire="2025-2026",
                            date_document=date(2026, 6, 26), reference="BENCH", references_reglementaires=[],
                            taux_horaire=Decimal("29.54"),
                            etablissement=EtablissementContexte(uai="0310001H", nom="École des Tilleuls", type_libelle="École",
                                                                commune="Toulouse", departement="Haute-Garonne (31)"))
    return [render.rendre("attestation", commun.model_dump() | AttestationForm(
        auditeur_id=i + 1, parent_nom=f"Parent {i}", parent_prenom="Amina", date_debut=date(2025, 11, 17),
        date_fin=date(2026, 6, 19), minutes_presentes=60 * (40 + i % 30), minutes_proposees=60 * 80, signataire="Claire Martin",
        fonction_signataire="Directrice").model_dump()) for i in range(n)]


def _chrono(convertir, d: bytes) -> float:
    t0 = time.perf_counter()
    assert convertir(d)[:5] == b"%PDF-"
    return time.perf_counter() - t0


def _cout_du_balisage(docs: list[bytes], convertir) -> float:
    """Tagged against untagged (LibreOffice's defaults), alternated document by document so that the shared machine's
    noise falls on both alike: the relative cost of tagging."""
    balisees = pdf.OPTIONS_PDF, pdf.CONVERSION_PDF
    avec = nu = 0.0
    for i, d in enumerate(docs):
        for balise in ((True, False) if i % 2 else (False, True)):
            pdf.OPTIONS_PDF, pdf.CONVERSION_PDF = balisees if balise else ((), "pdf")
            duree = _chrono(convertir, d)
            avec, nu = (avec + duree, nu) if balise else (avec, nu + duree)
    pdf.OPTIONS_PDF, pdf.CONVERSION_PDF = balisees
    return avec / nu - 1


def main(n: int) -> None:
    docs = documents(n)
    with Mesure() as froid_m:
        froid = sum(_chrono(pdf.convertir_froid, d) for d in docs)
    conv = pdf.ConvertisseurPersistant()
    demarrage = _chrono(conv.convertir, docs[0])  # start-up + first document
    with Mesure() as persistant_m:
        persistant = sum(_chrono(conv.convertir, d) for d in docs)
    balisage_persistant = _cout_du_balisage(docs, conv.convertir)
    conv.arreter()
    assert conv.echecs == 0, "the persistent converter fell back to cold conversions"
    balisage_froid = _cout_du_balisage(docs, pdf.convertir_froid)
    print(f"cold soffice: {froid / n * 1000:.0f} ms/document; persistent: {persistant / n * 1000:.0f} ms/document "
          f"(start-up once: {demarrage:.1f} s)")
    print(f"documents={n} cold_s={froid:.2f} persistent_s={persistant:.2f} persistent_startup_s={demarrage:.2f} "
          f"ratio={froid / persistant:.1f}x ratio_cpu={froid_m.cpu / persistant_m.cpu:.1f}x "
          f"tagging_cold={balisage_froid:+.0%} tagging_persistent={balisage_persistant:+.0%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

"""Documents signed outside the tool (« signé hors application »): the engagement letter, the cumul authorisation
request and the état liquidatif are often signed on paper. The scan (PDF or image, checked as the signed attendance
sheet is) is stored as one more version of that document, beside the generated one it points at (Document.signe_de_id).
A later regeneration does not replace it: the scan stays, shown as the signed copy of the older version."""

from collections.abc import Iterable
from dataclasses import dataclass

from db.models import Campagne, Document
from forms.base import ErreursSaisie
from workflow.atelier.etapes import PAR_CLE
from workflow.atelier.scans import PieceScannee, verifier_scan
from workflow.noyau.moteur import charger_dossier, enregistrer_fichier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse
from workflow.noyau.transaction import refuser

# Each document that may be signed outside the tool: the step that produces it (whose roles may join its scan).
SIGNABLES: dict[str, tuple[str, PieceScannee]] = {
    "lettre_engagement": ("engager_intervenant", PieceScannee("« Lettre d'engagement signée »", "la lettre",
                                                              "une lettre d'engagement")),
    "demande_cumul": ("engager_intervenant", PieceScannee("« Demande d'autorisation de cumul signée »", "la demande",
                                                          "une demande d'autorisation de cumul")),
    "etat_liquidatif": ("liquider", PieceScannee("« État liquidatif signé »", "l'état", "un état liquidatif", accord="")),
}
SIGNATAIRES = tuple(dict.fromkeys(r for etape, _ in SIGNABLES.values() for r in PAR_CLE[etape].acteurs))


def peut_joindre(role, type_document: str) -> bool:
    """Whether this role produces that document, hence may join its signed scan."""
    return type_document in SIGNABLES and role in PAR_CLE[SIGNABLES[type_document][0]].acteurs


@operation("joindre_scan_signe", "Joindre un document signé hors application", SIGNATAIRES)
def joindre_scan_signe(ecriture: Ecriture, *, document_id: int, nom: str, contenu: bytes) -> Document:
    """The scan of a generated letter or état (a DOCX, or its PDF), stored as a new version of its type for the same
    person or month, marked as signed outside the tool and pointing at the generated DOCX."""
    session, acteur = ecriture.session, ecriture.acteur
    genere = session.get(Document, document_id)
    if genere is None or genere.dossier_id is None:
        raise AccesRefuse("Document introuvable.")
    dossier, _ = charger_dossier(session, acteur, genere.dossier_id)
    if genere.format == "pdf" and genere.source_id is not None:  # the PDF shown: its scan is of the DOCX it came from
        genere = session.get(Document, genere.source_id)
    if genere.type_document not in SIGNABLES or genere.signe_de_id is not None or genere.format != "docx":
        raise ErreursSaisie(["Seuls la lettre d'engagement, la demande d'autorisation de cumul et l'état liquidatif "
                             "produits par le service se joignent signés hors application."])
    etape, piece = SIGNABLES[genere.type_document]
    if acteur.role not in PAR_CLE[etape].acteurs:
        refuser(session, acteur, f"document:{genere.id}",
                f"Action refusée : {piece.champ} se joint par le rôle qui produit ce document "
                f"(« {PAR_CLE[etape].libelle} »), pas par le rôle {acteur.role.value}.", type_document=genere.type_document)
    fmt = verifier_scan(nom, contenu, piece)
    scan = enregistrer_fichier(session, sujet=genere.sujet, type_document=genere.type_document, fmt=fmt, contenu=contenu,
                               etape=genere.etape, acteur=acteur, campagne=session.get(Campagne, dossier.campagne_id),
                               dossier=dossier, source_id=None, ecrits=ecriture.ecrits,
                               concerne=genere.concerne, signe_de_id=genere.id)
    ecriture.journaliser(f"document:{genere.id}", document=scan.id, version_signee=genere.version)
    return scan


@dataclass(frozen=True)
class ScanSigne:
    document: Document
    version_signee: int  # the version of the generated document that was signed
    a_jour: bool  # False once the document was generated again: the scan is that of an older version


@dataclass(frozen=True)
class Signable:
    """A generated letter or état (its latest version), its PDF if converted, and the scans joined to any version."""

    genere: Document
    pdf: Document | None
    scans: list[ScanSigne]

    @property
    def signe_a_jour(self) -> ScanSigne | None:
        return next((s for s in self.scans if s.a_jour), None)


def signables(documents: Iterable[Document], types: Iterable[str]) -> list[Signable]:
    """The documents of those types among `documents` (already read through the one read rule), one per person or
    month, each with its scans, latest first."""
    docs = [d for d in documents if d.type_document in set(types)]
    par_id = {d.id: d for d in docs}
    derniers: dict[tuple[str, str], Document] = {}
    for d in docs:
        if d.format == "docx" and d.signe_de_id is None:
            cle = (d.type_document, d.concerne)
            if cle not in derniers or d.version > derniers[cle].version:
                derniers[cle] = d
    resultat = []
    for (type_document, concerne), genere in sorted(derniers.items()):
        scans = [ScanSigne(d, par_id[d.signe_de_id].version if d.signe_de_id in par_id else 0, d.signe_de_id == genere.id)
                 for d in docs if d.signe_de_id is not None and (d.type_document, d.concerne) == (type_document, concerne)]
        pdf = next((d for d in docs if d.source_id == genere.id and d.format == "pdf"), None)
        resultat.append(Signable(genere, pdf, sorted(scans, key=lambda s: s.document.id, reverse=True)))
    return resultat

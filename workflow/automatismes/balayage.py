"""What an interrupted run leaves on disk, removed: the storage and the database agree again.

A process killed mid-step (or a lost database connection) rolls its transaction back, but files it already wrote
stay: a stored document without its row (it may name parents), a half-built batch in the work folder, the
temporary file of an atomic write. Their names never stand in anyone's way (workflow.noyau.moteur.enregistrer_fichier),
so they are only garbage, removed here at start-up and every hour. `delai` spares what is younger: the files of
a transaction that another process may still be committing.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from db.models import Document, ImageSignataire, ModeleDocument
from documents import stockage
from infra.settings import get_settings
from workflow.noyau.transaction import journaliser

journal = logging.getLogger("oepre.balayage")
DELAI = timedelta(hours=1)


@dataclass(frozen=True)
class Balayage:
    orphelins: int  # stored files without a row
    temporaires: int  # work folders, temporary files

    @property
    def total(self) -> int:
        return self.orphelins + self.temporaires


def balayer(session: Session, delai: timedelta = DELAI) -> Balayage:
    reglages = get_settings()
    limite = time.time() - delai.total_seconds()
    temporaires = 0
    if reglages.travail_dir.is_dir():
        for entree in reglages.travail_dir.iterdir():
            if stockage.plus_ancien_que(entree, limite):
                stockage.effacer_entree(entree)
                temporaires += 1
    depot = stockage.depot(reglages)
    temporaires += depot.balayer_temporaires(delai.total_seconds())
    connus = set(session.exec(select(Document.chemin)))
    for fichiers in (ImageSignataire, ModeleDocument):  # the signatories' images, the académies' templates
        connus |= set(session.exec(select(fichiers.chemin).where(fichiers.chemin.is_not(None))))
    orphelins = 0
    for relatif, age in list(depot.entrees()):
        if relatif not in connus and age > delai.total_seconds():
            orphelins += depot.supprimer(relatif)
    resultat = Balayage(orphelins, temporaires)
    if resultat.total:
        journaliser(session, None, "balayage_stockage", "documents", orphelins=orphelins, temporaires=temporaires)
        session.commit()
        journal.warning("Balayage : %d fichier(s) sans enregistrement et %d temporaire(s) supprimé(s)", orphelins, temporaires)
    return resultat

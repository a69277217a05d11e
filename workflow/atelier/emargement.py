"""The signed attendance sheet: a scan (PDF or image) attached to its séance, checked to be what it claims
(workflow.atelier.scans)."""

from db.models import Campagne, Document, Groupe, Seance
from workflow.atelier.etapes import PAR_CLE
from workflow.atelier.scans import verifier_scan
from workflow.noyau.moteur import charger_dossier, enregistrer_fichier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse


@operation("joindre_feuille_signee", "Joindre une feuille d'émargement signée", PAR_CLE["enregistrer_seance"].acteurs)
def joindre_feuille_signee(ecriture: Ecriture, *, seance_id: int, nom: str, contenu: bytes) -> Document:
    seance = ecriture.session.get(Seance, seance_id)
    if seance is None:
        raise AccesRefuse("Séance introuvable.")
    groupe = ecriture.session.get(Groupe, seance.groupe_id)
    dossier, _ = charger_dossier(ecriture.session, ecriture.acteur, groupe.dossier_id)
    fmt = verifier_scan(nom, contenu)
    doc = enregistrer_fichier(ecriture.session, sujet=f"dossier:{dossier.id}", type_document="emargement_signe", fmt=fmt,
                              contenu=contenu, etape="enregistrer_seance", acteur=ecriture.acteur,
                              campagne=ecriture.session.get(Campagne, dossier.campagne_id), dossier=dossier, source_id=None,
                              ecrits=ecriture.ecrits)
    seance.scan_document_id = doc.id
    ecriture.session.add(seance)
    ecriture.journaliser(f"seance:{seance.id}", document=doc.id)
    return doc

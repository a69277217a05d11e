"""An académie's template versions: a draft uploaded by the DAEPS, published, used by the next attestation (which
records it), another académie untouched, a previous version (or the built-in) put back as a new version; every write
in the audit log; only the DAEPS and the administrator of the académie."""

import io

import pytest
from docx import Document as Docx
from sqlmodel import select

from db.models import Auditeur, Document, JournalAudit, ModeleDocument
from documents import render, stockage
from forms.base import ErreursSaisie
from forms.vocabulaire import EtatModele
from infra import settings
from tests.support import semis_atelier
from workflow import modeles
from workflow.noyau.modeles import modele_en_vigueur
from workflow.noyau.permissions import AccesRefuse

PHRASE = "Attestation délivrée selon le modèle de l'académie de {{ academie }}."


def modele_avec_phrase(phrase: str = PHRASE) -> bytes:
    document = Docx(io.BytesIO(render.octets_gabarit_integre("attestation")))
    document.add_paragraph(phrase)
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


@pytest.fixture
def atelier(demo, acteurs, monkeypatch):
    dossier = semis_atelier.semer_dans(demo)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    settings.get_settings.cache_clear()
    etape = semis_atelier.executeur(demo, acteurs["porteur81"], dossier)
    inscrits = demo.exec(select(Auditeur).where(Auditeur.dossier_id == dossier.id)).all()
    etape("enregistrer_seance", groupe=semis_atelier.GROUPE, date_seance="2026-01-13", heure_debut="14:00", heure_fin="16:00",
          axes=["langue"], intervenants=["Sofia ÁLVAREZ"],
          presences=[{"nom": a.nom, "prenom": a.prenom, "statut": "present"} for a in inscrits])
    amina = next(a for a in inscrits if a.prenom == "Amina")

    def attester() -> Document:
        resultat = etape("attester", auditeur_id=amina.id, signataire="Karim Benali", fonction_signataire="Principal")
        return demo.get(Document, resultat.documents[0])

    return attester


def _texte(document: Document) -> str:
    contenu = stockage.depot().lire(document.chemin, document.sha256)
    return "\n".join(p.text for p in Docx(io.BytesIO(contenu)).paragraphs)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_deposer_publier_restaurer(demo, acteurs, atelier):
    daeps = acteurs["daeps"]
    avant = atelier()
    assert avant.modele_id is None and "modèle de l'académie" not in _texte(avant)

    contenu = modele_avec_phrase()
    brouillon = modeles.deposer_modele(demo, daeps, type_document="attestation", nom="attestation-daeps.docx",
                                       contenu=contenu)
    assert atelier().modele_id is None  # a draft is not in force
    modeles.publier_modele(demo, daeps, modele_id=brouillon)
    avec = atelier()
    assert avec.modele_id == brouillon
    assert "Attestation délivrée selon le modèle de l'académie de Toulouse." in _texte(avec)
    assert modele_en_vigueur(demo, "autre", "attestation").modele_id is None  # another académie keeps the built-in

    integre = modeles.restaurer_modele(demo, daeps, type_document="attestation")
    apres = atelier()
    assert apres.modele_id is None and "modèle de l'académie" not in _texte(apres)
    remis = modeles.restaurer_modele(demo, daeps, type_document="attestation", modele_id=brouillon)
    assert atelier().modele_id == remis

    lignes = modeles.historique(demo, daeps, "attestation")
    assert [(ligne.version, ligne.etat, ligne.integre, ligne.en_vigueur, ligne.restaure_de) for ligne in lignes] == [
        (3, EtatModele.PUBLIE, False, True, 1), (2, EtatModele.PUBLIE, True, False, None), (1, EtatModele.PUBLIE, False, False, None)]
    assert lignes[-1].depose_par == lignes[-1].publie_par != "—"
    v1, v3 = demo.get(ModeleDocument, brouillon), demo.get(ModeleDocument, remis)
    assert v1.chemin == v3.chemin and v1.sha256 == stockage.sha256(contenu)  # the file written once
    assert modeles.fichier_modele(demo, daeps, "attestation", remis)[1] == contenu
    assert modeles.fichier_modele(demo, daeps, "attestation")[1] == render.octets_gabarit_integre("attestation")
    actions = [j.action for j in demo.exec(select(JournalAudit).where(JournalAudit.objet.like("modele:%")).order_by(JournalAudit.id))]
    assert actions == ["deposer_modele", "publier_modele", "restaurer_modele", "restaurer_modele"]
    assert len({brouillon, integre, remis}) == 3


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_refus(demo, acteurs):
    for role in ("porteur", "dsden31", "pilote", "comite"):
        with pytest.raises(AccesRefuse):
            modeles.deposer_modele(demo, acteurs[role], type_document="attestation", nom="a.docx", contenu=modele_avec_phrase())
        with pytest.raises(AccesRefuse):
            modeles.historique(demo, acteurs[role], "attestation")
    with pytest.raises(ErreursSaisie, match="date_naissance"):
        modeles.deposer_modele(demo, acteurs["admin"], type_document="attestation", nom="a.docx",
                               contenu=modele_avec_phrase("{{ date_naissance }}"))
    with pytest.raises(ErreursSaisie, match="n'est pas un type de document"):
        modeles.deposer_modele(demo, acteurs["admin"], type_document="inconnu", nom="a.docx", contenu=modele_avec_phrase())
    assert demo.exec(select(ModeleDocument)).all() == []
    brouillon = modeles.deposer_modele(demo, acteurs["admin"], type_document="attestation", nom="a.docx", contenu=modele_avec_phrase())
    with pytest.raises(ErreursSaisie, match="un brouillon se publie"):
        modeles.restaurer_modele(demo, acteurs["daeps"], type_document="attestation", modele_id=brouillon)
    modeles.publier_modele(demo, acteurs["daeps"], modele_id=brouillon)
    with pytest.raises(ErreursSaisie, match="déjà publiée"):
        modeles.publier_modele(demo, acteurs["daeps"], modele_id=brouillon)

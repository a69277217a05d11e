"""Every document type, as printed: each template of the step table filled with the data of a finished year (bench/annee.py
on the demo), converted to PDF by LibreOffice in one call, then read back (pdftotext, page by page). A document must look
finished: no empty page, a signature's function and its signatory on the same page, a section title on the page of what it
introduces, no internal code, no impossible figure, French agreement (« 0 heure », « le 17 mars 2026 »)."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from bench.annee import semer_annee
from db.models import Auditeur, Campagne, Dossier, Engagement, Etablissement, Groupe, Intervenant, Presence, Seance, SeanceIntervenant
from demarrage.demo import candidature_demo
from documents import pdf, render
from documents.catalogue import GABARITS
from documents.gabarits import Bilingue, Section, Si, Signatures
from forms.base import valider
from tests.conftest import exiger_outil, libreoffice_present
from tests.support.codes_internes import CODES, cellules_suspectes
from tests.test_texte_hostile import exemple
from workflow.etapes import ETAPES
from workflow.noyau import moteur, paie

pytestmark = [pytest.mark.libreoffice, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]

A_DOCUMENTS = [e for e in ETAPES if e.gabarits]  # derived from the step table: every template is in one step


def _realiste(s, campagne: Campagne, dossier: Dossier) -> dict:
    """What a person would have typed, from the finished atelier's own records (names, group, month, parent)."""
    groupe = s.exec(select(Groupe).where(Groupe.dossier_id == dossier.id)).first()
    personne = s.exec(select(Intervenant).join(SeanceIntervenant, SeanceIntervenant.intervenant_id == Intervenant.id)
                      .join(Seance, Seance.id == SeanceIntervenant.seance_id).where(Seance.groupe_id == groupe.id)).first()
    if not s.exec(select(Engagement).where(Engagement.dossier_id == dossier.id)).first():
        s.add(Engagement(intervenant_id=personne.id, dossier_id=dossier.id, engage=True))
        s.flush()
    parent = s.exec(select(Auditeur).join(Presence, Presence.auditeur_id == Auditeur.id)
                    .where(Auditeur.groupe_id == groupe.id, Presence.statut == "present").order_by(Auditeur.id)).first()
    return {
        "nom": "Haddad", "prenom": "Amina", "civilite": "Mme", "courriel": "sofia.alvarez@ac-toulouse.fr",
        "groupe": groupe.libelle, "mois": date(2026, 5, 1),
        "imputation": "0214-01-02 (programme 104)",
        "intervenant": paie.nom_affiche(personne), "auditeur_id": parent.id, "signataire": "Claire Martin",
        "fonction_signataire": "Directeur / directrice d'école", "telephone": "0561000000", "date_debut": date(2026, 3, 17),
        "date_fin": date(2026, 3, 17), "heures_prevues": "40", "lieu": "Rectorat de Toulouse", "date_session": date(2026, 3, 2),
        "structure_payeuse": "Collège Jean-Jaurès (Albi)", "certifie_par": "Claire Martin", "signataire_avis": "DASEN 31",
        "date_envoi": date(2026, 7, 2), "heures_financees": "60", "montant_p104": "1000", "montant_en": "772.40",
        "decision": "retenu", "avis": "favorable", "date_seance": date(2026, 1, 13), "heure_debut": "14:00", "heure_fin": "16:00",
        "membres_presents": [{"fonction": "Conseiller technique EVS", "nom": "Paul Durand"},
                             {"fonction": "Représentante de la DAEPS", "nom": "Inès Morel"}],
        "presences": [{"nom": "Haddad", "prenom": "Amina", "statut": "present"}, {"nom": "Nom1", "prenom": "Prénom1",
                                                                                  "statut": "absent_excuse"}],
        "contenu": "Se présenter, le cahier de liaison", "corps_grade": "Professeur certifié, classe normale",
        "langues": "Arabe, français", "intervenants": [paie.nom_affiche(personne)],
        "enfants": [{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}],
    }


PAR_ETAPE = {"engager_intervenant": {"nom": "Álvarez", "prenom": "Sofia", "date_debut": date(2025, 11, 17),
                                     "date_fin": date(2026, 6, 30), "heures_prevues": "80"},
             "imprimer_emargement_mensuel": {"intervenants": []},  # its completion reads them from the engagements
             "emettre_avis": {"signataire": "Marie Dubois", "motivation": "Projet solide, public prioritaire."},
             "decider": {"conditions": "Transmettre les deux bilans avant le 15 juillet.", "motif_refus": "",
                         "derogation_bilans_motif": ""},
             "transmettre_bilan_financier": {"montant_recu": None, "charges_patronales": "0", "materiel_pedagogique": "120",
                                             "reprographie": "45.50", "autres_depenses": "0", "justification_autres": "",
                                             "precision_reliquat": ""},
             "transmettre_bilan_pedagogique": {
                 "partenariats": "Médiathèque municipale, centre social", "contenus": "Livret d'accueil, jeux de rôle",
                 "numerique": "Découverte de l'ENT", "effets_observes": "Les parents viennent aux réunions",
                 "difficultes": "Garde des jeunes enfants : un coin jeux a été installé", "perspectives": "Un second groupe",
                 "parole_parents": "« Je comprends le cahier de liaison »", "nb_groupes": None, "heures_realisees": None,
                 "inscrits_total": None, "femmes": None, "primo_arrivants": None, "assidus": None}}


def _documents(s, tmp: Path) -> dict[str, Path]:
    """One DOCX per template, filled as the step would (its completion from the records, the shared context)."""
    campagne = s.exec(select(Campagne)).one()
    dossier = s.get(Dossier, semer_annee(s, campagne.id, ateliers=3, parents=60, seances=30)[0])
    etab = s.get(Etablissement, dossier.uai)
    valeurs = _realiste(s, campagne, dossier)
    fichiers = {}
    for etape in A_DOCUMENTS:
        entree = candidature_demo() if etape.cle == "deposer" else exemple(etape.form)
        if etape.cle == "ouvrir_campagne":  # the demo's own campaign: its calendar, thresholds and budgets
            entree |= {k: getattr(campagne, k) for k in etape.form.model_fields if getattr(campagne, k, None) is not None}
        entree |= {k: v for k, v in valeurs.items() if k in etape.form.model_fields and etape.cle != "deposer"}
        entree |= PAR_ETAPE.get(etape.cle, {})
        form = valider(etape.form, entree)
        sur_dossier = etape.sujet == "dossier"
        for completer in etape.completer:  # what the engine fills from the database, as the step's row says
            form = completer(s, campagne, dossier if sur_dossier else None, form)
        for cle in etape.gabarits:
            commun = moteur.contexte_commun(s, campagne, etab if sur_dossier else None, dossier if sur_dossier else None,
                                              f"OEPRE/{campagne.annee_scolaire}/TEST/{cle}")
            fichiers[cle] = tmp / f"{cle}.docx"
            fichiers[cle].write_bytes(render.rendre(cle, moteur.contexte_du_document(cle, commun, form)))
    return fichiers


def _pages(chemin: Path) -> list[str]:
    texte = subprocess.run(["pdftotext", "-layout", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
    return texte.split("\f")[:-1] if texte.endswith("\f") else texte.split("\f")


def _francais(texte) -> str:
    return texte.francais if isinstance(texte, Bilingue) else texte


def _elements(contenu):
    for el in contenu:
        yield from _elements(el.contenu) if isinstance(el, Si) else (el,)


def _fixe(texte: str) -> str:
    """The fixed words of a label (before any « {{ »), as pdftotext prints its first line."""
    return texte.split("{{")[0].split("\n")[0].strip()


def _page_de(pages: list[str], morceau: str) -> int | None:
    cible = " ".join(morceau.split())
    return next((i for i, p in enumerate(pages) if cible in " ".join(p.split())), None)


@pytest.fixture
def pdfs(demo, tmp_path) -> dict[str, list[str]]:
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    fichiers = _documents(demo, tmp_path)
    sorties = pdf.convertir_lot(list(fichiers.values()), tmp_path / "pdf")  # one LibreOffice for all of them
    png = Path("/tmp/docs-png")
    shutil.rmtree(png, ignore_errors=True)
    png.mkdir()
    for sortie in sorties:  # to look at: /tmp/docs-png/<template>-<page>.png
        shutil.copy(sortie, png / sortie.name)
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-l", "3", str(sortie), str(png / sortie.stem)], check=False)
    return {cle: _pages(tmp_path / "pdf" / f"{cle}.pdf") for cle in fichiers}


def test_chaque_document_a_l_air_fini(pdfs):
    assert set(pdfs) == set(GABARITS)
    defauts = []
    for cle, pages in pdfs.items():
        gabarit = GABARITS[cle]
        tout = "\n".join(pages)
        mots = re.findall(r"[\w'’-]+", tout)
        lignes = [ligne.strip() for p in pages for ligne in p.splitlines()] + [c.strip() for p in pages for c in re.split(r"\s{2,}", p)]
        defauts += [f"{cle} : page {i + 1} vide" for i, p in enumerate(pages) if not p.strip()]
        # A table cell or a line that is a code; within running text, a code no French word looks like (« ateliers_termines »).
        codes = cellules_suspectes(lignes) + sorted({m for m in mots if "_" in m and m in CODES})
        defauts += [f"{cle} : code interne « {c} »" for c in codes]
        defauts += [f"{cle} : « {m} »" for m in re.findall(r"\b[01](?:,\d+)? heures\b|\bNone\b|du (\d+ \w+ \d{4}) au \1", tout)]
        defauts += [f"{cle} : taux de {t} %" for t in re.findall(r"(\d+(?:,\d+)?)\s?%", tout) if Decimal(t.replace(",", ".")) > 100]
        defauts += [f"{cle} : parenthèses imbriquées « {m} »" for m in re.findall(r"\([^()]*\([^()]*\)\)", tout)]
        for el in _elements(gabarit.contenu):
            if isinstance(el, Signatures):
                for fonction, _ in el.blocs:
                    haut, bas = _page_de(pages, _fixe(_francais(fonction))), _page_de(pages, "Date et signature")
                    if _fixe(_francais(fonction)) and haut is not None and haut != bas:
                        defauts.append(f"{cle} : signature « {_fixe(_francais(fonction))} » coupée (pages {haut + 1}, {bas + 1})")
        titres = [_fixe(_francais(el.titre)) for el in _elements(gabarit.contenu) if isinstance(el, Section)]
        for titre in titres:
            page = _page_de(pages, titre)
            if page is not None:
                suite = " ".join(pages[page].split()).split(" ".join(titre.split()), 1)[-1].strip()
                if not suite and page + 1 < len(pages):
                    defauts.append(f"{cle} : titre « {titre} » seul en bas de la page {page + 1}")
    assert defauts == [], "\n".join(defauts)
    _heures_suivies_au_plus_proposees(pdfs)  # in the same test: one LibreOffice run for the module


def _heures_suivies_au_plus_proposees(pdfs):
    """An attendance certificate never says a parent attended more than was offered."""
    texte = " ".join("\n".join(pdfs["attestation"]).split())
    presentes, proposees = re.search(r"soit (.+?) de formation sur (.+?) proposées", texte).groups()

    def minutes(duree: str) -> int:  # « 1 234 h 05 », « 52 h », « 45 min »
        if h := re.search(r"(\d[\d\s]*) h(?: (\d{2}))?", duree):
            return int(re.sub(r"\D", "", h.group(1))) * 60 + int(h.group(2) or 0)
        return int(re.search(r"(\d+) min", duree).group(1))

    assert minutes(presentes) <= minutes(proposees)

"""The public map of ateliers, schools' coordinates, and the import of the national directory of schools."""

import json

import pytest
from sqlmodel import select

from bench.annee import semer_annee
from db.models import Auditeur, Campagne, Dossier, Etablissement
from demarrage.demo import uai
from forms.base import ErreursSaisie
from workflow.noyau.permissions import AccesRefuse
from workflow.selection import carte

ENTETE = ("Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Nom_commune;Code_departement;"
          "Appartenance_Education_Prioritaire;Mail;latitude;longitude\n")


@pytest.fixture
def ateliers(demo):
    campagne = demo.exec(select(Campagne)).one()
    semer_annee(demo, campagne.id, ateliers=3, parents=30)
    return carte.ateliers_publics(demo, campagne.id)


def test_liste_csv_et_geojson_publics(demo, ateliers):
    generes = [a for a in ateliers if a.etablissement.startswith("École ") and " n° " in a.etablissement]
    assert len(generes) == 3 and all(a.latitude for a in generes)
    assert generes[0].horaires.startswith("Groupe A : mardi 14:00–16:00") and generes[0].contact.endswith("@ac-toulouse.fr")
    assert generes[0].periode == "du 17/11/2025 au 26/06/2026"
    (jaures,) = [a for a in ateliers if a.etablissement == "Collège Jean-Jaurès"]  # slots stored by the grid: no seconds
    assert jaures.horaires.startswith("Groupe A — débutants : mardi 14:00–16:00 (Salle polyvalente)"), jaures.horaires
    collection = json.loads(carte.geojson(ateliers))
    point = next(f for f in collection["features"] if f["properties"]["uai"] == generes[0].uai)
    assert point["geometry"]["coordinates"] == [generes[0].longitude, generes[0].latitude]
    texte = carte.csv_carte(ateliers).decode("utf-8-sig") + json.dumps(collection, ensure_ascii=False)
    noms = {a.nom for a in demo.exec(select(Auditeur))}
    assert not any(f";{nom};" in texte or f'"{nom}"' in texte for nom in noms)
    assert "UAI;Établissement;Commune" in texte
    retenus = [d for d in demo.exec(select(Dossier)) if d.etat in carte.ETATS_PUBLICS]
    assert {d.uai for d in retenus} == {a.uai for a in ateliers}  # retained, running or finished: no draft, no refusal


def test_coordonnees_saisies(demo, acteurs):
    porteur = acteurs["porteur"]
    carte.enregistrer_coordonnees(demo, porteur, porteur.uai, {"latitude": "43.6045", "longitude": "1.444"})
    assert demo.get(Etablissement, porteur.uai).latitude == pytest.approx(43.6045)
    autre = next(e.uai for e in demo.exec(select(Etablissement)) if e.uai != porteur.uai)
    with pytest.raises(AccesRefuse):
        carte.enregistrer_coordonnees(demo, porteur, autre, {"latitude": "43", "longitude": "1"})
    with pytest.raises(ErreursSaisie, match="« Latitude » : doit être inférieur ou égal à 90"):
        carte.enregistrer_coordonnees(demo, acteurs["admin"], autre, {"latitude": "143", "longitude": "1"})
    with pytest.raises(AccesRefuse):
        carte.enregistrer_coordonnees(demo, acteurs["dsden31"], autre, {"latitude": "43", "longitude": "1"})


def test_import_de_l_annuaire(demo, acteurs):
    connu = demo.exec(select(Etablissement)).first()
    nouveau, hors_academie, sans_coordonnees = uai("31", 4321), "0751234" + "X", uai("81", 4322)
    contenu = (ENTETE
               + f"{connu.uai};{connu.nom};Ecole;{connu.commune};031;REP;;43,61;1,45\n"
               + f"{nouveau};École élémentaire Les Amandiers;Ecole;Blagnac;031;REP+;ce.{nouveau.lower()}@ac-toulouse.fr;43.64;1.39\n"
               + f"{hors_academie};Collège Paris;Collège;Paris;075;;;48.85;2.35\n"
               + f"{sans_coordonnees};École de Gaillac;Ecole;Gaillac;081;;;;\n").encode("utf-8")
    hors_academie = _uai_valide(hors_academie)
    contenu = contenu.replace(b"0751234X", hors_academie.encode())
    rapport = carte.importer_annuaire(demo, acteurs["admin"], contenu)
    assert (rapport.lignes, rapport.mis_a_jour, rapport.crees, rapport.ignores) == (4, 1, 2, 1)
    assert demo.get(Etablissement, connu.uai).latitude == pytest.approx(43.61)
    cree = demo.get(Etablissement, nouveau)
    assert (cree.type_structure, cree.departement_code, cree.education_prioritaire) == ("ecole_elementaire", "31", "REP+")
    assert demo.get(Etablissement, sans_coordonnees).latitude is None and demo.get(Etablissement, hors_academie) is None


def test_l_annuaire_d_une_academie_ne_cree_pas_les_ecoles_d_une_autre(demo, acteurs):
    """Montpellier's départements are in the reference data: Toulouse's administrator does not create its schools."""
    herault, tarn = uai("34", 4401), uai("81", 4402)
    contenu = (ENTETE + f"{herault};École Jean Moulin;Ecole;Montpellier;034;;;43.6;3.88\n"
               + f"{tarn};École de Lavaur;Ecole;Lavaur;081;;;43.7;1.82\n").encode("utf-8")
    rapport = carte.importer_annuaire(demo, acteurs["admin"], contenu)
    assert (rapport.crees, rapport.ignores) == (1, 1)
    assert demo.get(Etablissement, herault) is None and demo.get(Etablissement, tarn).departement_code == "81"


def _uai_valide(code: str) -> str:
    from forms.base import lettre_cle_uai

    return code[:7] + lettre_cle_uai(code[:7])


@pytest.mark.parametrize(("contenu", "message"), [
    ((ENTETE + "0310001H;Ecole;Ecole;Toulouse;031;;;43.6;1.4\n0310002?;Collège Sévigné;Collège;Albi;081;;;43.9;2.1\n")
     .encode("latin-1").replace(b"0310002?", b"0310002" + b"\xe9"), "Ligne 3 : le fichier n'est pas encodé en UTF-8"),
    (b"Identifiant_de_l_etablissement;latitude\n0310001H;43.6\n", "Ligne 1 : colonne(s) manquante(s) : longitude"),
    ((ENTETE + "X;;;;;;;43.6;1.4\n").encode(), "Ligne 2 : code UAI « X » invalide"),
    ((ENTETE + "{u};;;;;;;43.6;1.4\n{u};;;;;;;abc;1.4\n").encode(), "Ligne 3 : coordonnées invalides"),
    ((ENTETE + "{u};;;;;;;95;1.4\n").encode(), "Ligne 2 : coordonnées invalides"),
    ((ENTETE + "{u};" + "x" * 140_000 + ";;;;;;43.6;1.4\n").encode(), "Ligne 2 : une cellule dépasse 128 Kio"),
])
def test_import_refuse_un_fichier_fautif_en_entier(demo, acteurs, contenu, message):
    connu = demo.exec(select(Etablissement)).first()
    avant = (connu.latitude, connu.longitude)
    contenu = contenu.replace(b"{u}", connu.uai.encode())
    with pytest.raises(ErreursSaisie) as erreur:
        carte.importer_annuaire(demo, acteurs["admin"], contenu)
    assert message in erreur.value.messages[0] and "Rien n'a été importé" in str(erreur.value)
    demo.expire_all()
    assert (demo.get(Etablissement, connu.uai).latitude, demo.get(Etablissement, connu.uai).longitude) == avant


@pytest.mark.parametrize(("ligne", "message"), [
    ("{n};{long};Ecole;Blagnac;031;;;43.6;1.4", "Ligne 3 : « Nom_etablissement » : est trop long (151 caractères, 150 au plus)"),
    ("{n};;Ecole;Blagnac;031;;;43.6;1.4", "Ligne 3 : « Nom_etablissement » : est obligatoire pour créer l'établissement"),
    ("{n};École Jean Moulin;Ecole;{long};031;;;43.6;1.4", "Ligne 3 : « Nom_commune » : est trop long"),
    ("{n};École\x00 Jean Moulin;Ecole;Blagnac;031;;;43.6;1.4",
     "Ligne 3 : « Nom_etablissement » : contient un caractère de contrôle interdit (U+0000)"),
    # 121 characters: SQLite would have stored it, PostgreSQL refused it with a raw StringDataRightTruncation
    ("{n};École Jean Moulin;Ecole;Blagnac;031;;" + "a" * 106 + "@ac-toulouse.fr;43.6;1.4", "Ligne 3 : « Mail » : est trop long"),
])
def test_import_ne_tronque_ni_n_ignore_en_silence(demo, acteurs, ligne, message):
    """A new school's name that is too long or blank refuses the file with the line's number; nothing is cut."""
    connu = demo.exec(select(Etablissement)).first()
    nouveau = uai("31", 4777)
    contenu = (ENTETE + f"{connu.uai};{connu.nom};Ecole;{connu.commune};031;;;43.61;1.45\n"
               + ligne.format(n=nouveau, long="É" * 151) + "\n").encode("utf-8")
    with pytest.raises(ErreursSaisie) as erreur:
        carte.importer_annuaire(demo, acteurs["admin"], contenu)
    assert message in erreur.value.messages[0] and "Rien n'a été importé" in str(erreur.value)
    assert demo.get(Etablissement, nouveau) is None


def test_import_reserve_a_l_administrateur(demo, acteurs):
    with pytest.raises(AccesRefuse):
        carte.importer_annuaire(demo, acteurs["casnav"], ENTETE.encode())


def test_carte_publique_sans_connexion(demo, ateliers):
    from streamlit.testing.v1 import AppTest

    from tests.support.appli import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/carte.py").run()
    assert not at.exception and "Carte des ateliers OEPRE" in at.title[0].value
    assert at.get("deck_gl_json_chart") and not at.expander  # the map, and no editing for the public
    assert len(at.dataframe[0].value) == len(ateliers)

"""The CASNAV's public map of ateliers (spec §11): retained ateliers with their commune, days, times and public
contact, as a list, CSV and GeoJSON; schools' coordinates entered by hand or imported from the national
directory of schools (« annuaire de l'éducation », CSV) that the admin uploads. Public data only: no parent,
no intervenant, the school's own contact address."""

import io
import json
from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Departement, Dossier, Etablissement, Groupe
from documents.tableur import EcrivainCsv
from forms.base import ErreursSaisie, FormModel, champ, normaliser_uai, texte_saisi, valider
from forms.vocabulaire import EN_ACTIVITE, Role, TypeStructure
from workflow.noyau.fichier_csv import lire_csv
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import ADMINISTRATEURS, AccesRefuse, Acteur
from workflow.noyau.profil import academie_de

# States of an atelier shown on the map: retained, running or just finished this year.
ETATS_PUBLICS = tuple(e.value for e in EN_ACTIVITE)
EDITEURS_COORDONNEES = (Role.ADMIN, Role.CASNAV, Role.PORTEUR)
COLONNES_OBLIGATOIRES = ("Identifiant_de_l_etablissement", "latitude", "longitude")
COLONNES_TEXTE = ("Nom_etablissement", "Type_etablissement", "Nom_commune", "Code_departement",
                  "Appartenance_Education_Prioritaire", "Mail")
# What the record can hold (db.models.Etablissement): a longer text refuses its line instead of being cut.
LONGUEURS = {c: next(m.max_length for m in Etablissement.model_fields[c].metadata if hasattr(m, "max_length"))
             for c in ("nom", "commune", "email")}
ERREURS_MAX = 20


@dataclass(frozen=True)
class AtelierPublic:
    uai: str
    etablissement: str
    commune: str
    departement: str
    latitude: float | None
    longitude: float | None
    horaires: str  # « Groupe A : mardi 14:00–16:00 ; … »
    periode: str
    contact: str


def _horaires(groupes: list[Groupe]) -> str:
    morceaux = []
    for g in groupes:
        # « 14:00 », whether the slot was stored as typed or by the grid (« 14:00:00 »)
        creneaux = ", ".join(f"{c['jour']} {str(c['debut'])[:5]}–{str(c['fin'])[:5]}" for c in g.creneaux or [] if c.get("jour"))
        morceaux.append(f"{g.libelle} : {creneaux or 'horaires à préciser'}" + (f" ({g.lieu})" if g.lieu else ""))
    return " ; ".join(morceaux)


def ateliers_publics(session: Session, campagne_id: int) -> list[AtelierPublic]:
    lignes = session.exec(select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
                          .where(Dossier.campagne_id == campagne_id, Dossier.etat.in_(ETATS_PUBLICS))
                          .order_by(Etablissement.departement_code, Etablissement.commune, Etablissement.nom)).all()
    groupes: dict[int, list[Groupe]] = {}
    for g in session.exec(select(Groupe).where(Groupe.dossier_id.in_([d.id for d, _ in lignes])).order_by(Groupe.libelle)):
        groupes.setdefault(g.dossier_id, []).append(g)
    ateliers = []
    for d, e in lignes:
        debuts = [g.date_debut for g in groupes.get(d.id, []) if g.date_debut]
        fins = [g.date_fin for g in groupes.get(d.id, []) if g.date_fin]
        periode = f"du {min(debuts):%d/%m/%Y} au {max(fins):%d/%m/%Y}" if debuts and fins else ""
        ateliers.append(AtelierPublic(e.uai, e.nom, e.commune, e.departement_code, e.latitude, e.longitude,
                                      _horaires(groupes.get(d.id, [])), periode, e.email or ""))
    return ateliers


def geojson(ateliers: list[AtelierPublic]) -> bytes:
    """A GeoJSON FeatureCollection of the ateliers that have coordinates (RFC 7946: longitude first)."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [a.longitude, a.latitude]},
         "properties": {"uai": a.uai, "etablissement": a.etablissement, "commune": a.commune, "departement": a.departement,
                        "horaires": a.horaires, "periode": a.periode, "contact": a.contact}}
        for a in ateliers if a.latitude is not None and a.longitude is not None]}, ensure_ascii=False, indent=1).encode("utf-8")


def csv_carte(ateliers: list[AtelierPublic]) -> bytes:
    sortie = io.StringIO()
    ecrivain = EcrivainCsv(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(["UAI", "Établissement", "Commune", "Département", "Latitude", "Longitude", "Jours et horaires",
                       "Période", "Contact"])
    for a in ateliers:
        ecrivain.writerow([a.uai, a.etablissement, a.commune, a.departement, _coord(a.latitude), _coord(a.longitude),
                           a.horaires, a.periode, a.contact])
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def _coord(x: float | None) -> str:
    return "" if x is None else f"{x:.6f}".replace(".", ",")


# --- Coordinates ------------------------------------------------------------------------------------


class CoordonneesForm(FormModel):
    latitude: float = champ("Latitude", ge=-90, le=90)
    longitude: float = champ("Longitude", ge=-180, le=180)


def _seule_ecole(acteur: Acteur) -> str | None:
    """A head places their own school only (None: any school)."""
    return acteur.uai if acteur.role == Role.PORTEUR else None


def etablissements_a_placer(session: Session, acteur: Acteur, ateliers: list[AtelierPublic]) -> list[Etablissement]:
    """The schools the actor may place on the map: a head their own, the other editors those of the ateliers shown."""
    if acteur.role not in EDITEURS_COORDONNEES:
        return []
    uais = [_seule_ecole(acteur)] if acteur.role == Role.PORTEUR else [a.uai for a in ateliers]
    return [e for e in (session.get(Etablissement, u) for u in uais if u) if e]


@operation("coordonnees", "Placer un établissement sur la carte", EDITEURS_COORDONNEES)
def enregistrer_coordonnees(ecriture: Ecriture, uai: str, donnees: dict) -> None:
    session, acteur = ecriture.session, ecriture.acteur
    if _seule_ecole(acteur) not in (None, uai):
        raise AccesRefuse("Accès refusé : vous ne pouvez placer que votre établissement.")
    etab = session.get(Etablissement, uai)
    if etab is None:
        raise ErreursSaisie([f"« Établissement » : le code UAI {uai} est inconnu."])
    form = valider(CoordonneesForm, donnees)
    if form.latitude == 0 and form.longitude == 0:
        raise ErreursSaisie(["« Latitude » : 0, 0 est au large du golfe de Guinée ; saisissez les coordonnées de l'établissement."])
    etab.latitude, etab.longitude = form.latitude, form.longitude
    session.add(etab)
    ecriture.journaliser(f"etablissement:{uai}", latitude=form.latitude, longitude=form.longitude)


# --- Import of the national directory ---------------------------------------------------------------


@dataclass(frozen=True)
class RapportImport:
    lignes: int
    mis_a_jour: int
    crees: int
    ignores: int  # outside the académie, or without coordinates


def _nombre(texte: str) -> float:
    return float(texte.strip().replace(",", "."))


def _type_structure(type_etablissement: str, nom: str) -> TypeStructure | None:
    t, n = type_etablissement.lower(), nom.lower()
    if t.startswith("ecole") or t.startswith("école"):
        return (TypeStructure.ECOLE_MATERNELLE if "maternelle" in n else
                TypeStructure.ECOLE_ELEMENTAIRE if "élémentaire" in n or "elementaire" in n else TypeStructure.ECOLE_PRIMAIRE)
    if t.startswith("coll"):
        return TypeStructure.COLLEGE
    if t.startswith("lyc"):
        return TypeStructure.LYCEE_PRO if "professionnel" in n else TypeStructure.LYCEE
    if t.startswith("erea"):
        return TypeStructure.EREA
    return None


def _code_departement(code: str) -> str:
    code = code.strip()
    return code[1:] if len(code) == 3 and code.startswith("0") else code


@operation("import_annuaire", "Importer l'annuaire des établissements", ADMINISTRATEURS)
def importer_annuaire(ecriture: Ecriture, contenu: bytes) -> RapportImport:
    """Read the whole file first; one error anywhere refuses it all, with line numbers (nothing half-imported)."""
    session = ecriture.session
    entete, rangees = lire_csv(contenu, "une ligne de l'annuaire")
    manquantes = [c for c in COLONNES_OBLIGATOIRES if c not in entete]
    if manquantes:
        raise ErreursSaisie([f"Ligne 1 : colonne(s) manquante(s) : {', '.join(manquantes)}. L'en-tête attendu est celui de "
                             "l'annuaire de l'éducation (fichier « fr-en-annuaire-education »). Rien n'a été importé."])
    departements = set(session.exec(select(Departement.code).where(Departement.academie_code == academie_de(ecriture.acteur))))
    existants = {e.uai: e for e in session.exec(select(Etablissement))}
    erreurs, lues = [], []
    for numero, ligne in rangees:
        if len(erreurs) >= ERREURS_MAX:
            break
        brut_uai = (ligne.get("Identifiant_de_l_etablissement") or "").strip()
        lat, lon = (ligne.get("latitude") or "").strip(), (ligne.get("longitude") or "").strip()
        try:
            uai = normaliser_uai(brut_uai)
        except ValueError as exc:
            erreurs.append(f"Ligne {numero} : code UAI « {brut_uai} » invalide ({exc}).")
            continue
        try:  # the text rule of every form (forms.base), then what the record can hold: never cut, never skipped
            cellules = {colonne: texte_saisi(colonne, ligne.get(colonne)) for colonne in COLONNES_TEXTE}
            etab = existants.get(uai) or _nouvel_etablissement(uai, cellules, departements)
            if etab is not None and not etab.email:
                _longueur(cellules, "Mail", LONGUEURS["email"])
        except ErreursSaisie as exc:
            erreurs.append(f"Ligne {numero} : {exc.messages[0]}")
            continue
        if not lat and not lon:
            lues.append((uai, None, None, etab, cellules))
            continue
        try:
            latitude, longitude = _nombre(lat), _nombre(lon)
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
                raise ValueError
        except ValueError:
            erreurs.append(f"Ligne {numero} : coordonnées invalides pour {uai} (latitude « {lat} », longitude « {lon} ») : "
                           "attendu des degrés décimaux, latitude entre -90 et 90, longitude entre -180 et 180.")
            continue
        lues.append((uai, latitude, longitude, etab, cellules))
    if erreurs:
        raise ErreursSaisie([*erreurs[:ERREURS_MAX], "Rien n'a été importé : corrigez ces lignes puis déposez le fichier à nouveau."])
    mis_a_jour = crees = ignores = 0
    for uai, latitude, longitude, etab, cellules in lues:
        if etab is None:  # outside the académie's départements, or not a school
            ignores += 1
            continue
        if uai not in existants:
            crees += 1
        elif latitude is None:
            ignores += 1
            continue
        else:
            mis_a_jour += 1
        if latitude is not None:
            etab.latitude, etab.longitude = latitude, longitude
        etab.email = etab.email or cellules["Mail"] or None
        session.add(etab)
    rapport = RapportImport(len(lues), mis_a_jour, crees, ignores)
    ecriture.journaliser("etablissement", lignes=rapport.lignes, mis_a_jour=mis_a_jour, crees=crees)
    return rapport


def _longueur(cellules: dict[str, str], colonne: str, maximum: int) -> str:
    if len(cellules[colonne]) > maximum:
        raise ErreursSaisie([f"« {colonne} » : est trop long ({len(cellules[colonne])} caractères, {maximum} au plus) ; "
                             "rien n'est tronqué, corrigez la ligne."])
    return cellules[colonne]


def _nouvel_etablissement(uai: str, cellules: dict[str, str], departements: set[str]) -> Etablissement | None:
    """A school of the académie's départements not yet known; None for a line outside the académie or not a school
    (counted as ignored); ErreursSaisie for a school whose name is blank or whose text does not fit the record."""
    departement = _code_departement(cellules["Code_departement"])
    type_structure = _type_structure(cellules["Type_etablissement"], cellules["Nom_etablissement"])
    if departement not in departements or type_structure is None:
        return None
    if not cellules["Nom_etablissement"]:
        raise ErreursSaisie([f"« Nom_etablissement » : est obligatoire pour créer l'établissement {uai}."])
    ep = cellules["Appartenance_Education_Prioritaire"].upper()
    return Etablissement(uai=uai, nom=_longueur(cellules, "Nom_etablissement", LONGUEURS["nom"]),
                         type_structure=type_structure.value, commune=_longueur(cellules, "Nom_commune", LONGUEURS["commune"]),
                         departement_code=departement, education_prioritaire=ep if ep in ("REP", "REP+") else "aucune")

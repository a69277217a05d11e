"""Exports (spec §10, §11): the DAEPS workbook (dossiers, decisions, pay, bilans), the national survey's CSV
(one line per atelier, in the survey's order), and the Ministry of the Interior's aggregates.

None of them names a parent: the workbook and the CSV hold figures per atelier; the Interior's tables hold
counts per département where every cell under five people is suppressed, together with enough other cells
that no suppressed value can be computed back from the totals (workflow.cloture.secret_statistique)."""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Auditeur, Avis, Bilan, Campagne, Decision, Dossier, Etablissement, Groupe, Intervenant, Seance, SeanceIntervenant
from documents.tableur import EcrivainCsv, ajouter_ligne
from forms.cloture import CHIFFRES_DECLARES, ChiffresBilan
from forms.vocabulaire import (
    FINANCES,
    AvisDasen,
    DecisionComite,
    Etat,
    Pays,
    Role,
    StatutIntervenant,
    TraitementReliquat,
    TypeBilan,
)
from workflow.cloture import secret_statistique
from workflow.cloture.bilans import TRANCHES_AGE, TRANCHES_HEURES, chiffres_bilans, tranche_age
from workflow.noyau.moteur import numero_dossier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import Acteur
from workflow.noyau.public import est_primo_arrivant
from workflow.noyau.requetes import filtre_perimetre

EXPORTATEURS_CLASSEUR = (Role.DAEPS, Role.PILOTE, Role.DSDEN)
EXPORTATEURS_ENQUETE = (Role.PORTEUR, Role.DSDEN, Role.DAEPS, Role.PILOTE)
LECTEURS_AGREGATS = (Role.INTERIEUR, Role.DAEPS, Role.PILOTE)
FORMAT_EUROS = '#,##0.00 "€"'
FORMAT_HEURES = "0.00"
FORMAT_DUREE = "[h]:mm"  # a duration in exact minutes (1 h 20 is 1:20, never 1,33)
FORMAT_DATE = "DD/MM/YYYY"


# --- The DAEPS workbook ---------------------------------------------------------------------------


def _feuille(classeur: Workbook, titre: str, entetes: list[str], lignes: list[list], formats: dict[str, str]) -> None:
    feuille = classeur.create_sheet(titre)
    ajouter_ligne(feuille, entetes)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    for ligne in lignes:
        ajouter_ligne(feuille, ligne)  # text typed as text, never a formula (documents/tableur.py)
    for k, entete in enumerate(entetes, start=1):
        lettre = get_column_letter(k)
        largeur = max([len(str(entete)), *(len(str(ligne[k - 1])) for ligne in lignes if ligne[k - 1] is not None)])
        feuille.column_dimensions[lettre].width = min(60, largeur + 2)
        if fmt := formats.get(entete):
            for (cellule,) in feuille.iter_rows(min_row=2, min_col=k, max_col=k):
                cellule.number_format = fmt
    feuille.freeze_panes = "A2"
    feuille.auto_filter.ref = feuille.dimensions


def _dossiers(session: Session, acteur: Acteur, campagne: Campagne):
    return session.exec(select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
                        .where(Dossier.campagne_id == campagne.id, filtre_perimetre(acteur))
                        .order_by(Etablissement.departement_code, Etablissement.nom)).all()


@operation("classeur_daeps", "Exporter le classeur de la campagne", EXPORTATEURS_CLASSEUR)
def classeur_daeps(ecriture: Ecriture, campagne_id: int) -> bytes:
    session, acteur = ecriture.session, ecriture.acteur
    campagne = session.get(Campagne, campagne_id)
    lignes = _dossiers(session, acteur, campagne)
    ids = [d.id for d, _ in lignes]
    numeros = {d.id: numero_dossier(campagne, d) for d, _ in lignes}
    etablissements = {d.id: e for d, e in lignes}
    classeur = Workbook()
    classeur.remove(classeur.active)

    _feuille(classeur, "Dossiers", ["N°", "UAI", "Établissement", "Commune", "Département", "État", "Renouvellement",
                                    "Parents prévus", "Dont primo-arrivants", "Heures demandées", "Montant demandé", "Déposé le"],
             [[numeros[d.id], d.uai, e.nom, e.commune, e.departement_code, Etat(d.etat).libelle,
               "oui" if d.renouvellement else "non", d.nb_parents_prevus, d.nb_primo_arrivants_prevus, d.heures_total,
               d.montant_demande, d.depose_at.date() if d.depose_at else None] for d, e in lignes],
             {"Heures demandées": FORMAT_HEURES, "Montant demandé": FORMAT_EUROS, "Déposé le": FORMAT_DATE})

    avis = dict(session.exec(select(Avis.dossier_id, Avis.avis).where(Avis.dossier_id.in_(ids))).all())
    decisions = session.exec(select(Decision).where(Decision.dossier_id.in_(ids))).all()
    _feuille(classeur, "Décisions", ["N°", "Établissement", "Département", "Avis du DASEN", "Décision", "Heures financées",
                                     "P104", "Éducation nationale", "Total", "Conditions ou motif", "Dérogation (bilans)",
                                     "Décidé le"],
             [[numeros[x.dossier_id], etablissements[x.dossier_id].nom, etablissements[x.dossier_id].departement_code,
               AvisDasen(avis[x.dossier_id]).libelle if x.dossier_id in avis else "", DecisionComite(x.decision).libelle,
               x.heures_financees, x.montant_p104, x.montant_en,
               x.montant_p104 + x.montant_en, x.conditions or x.motif_refus, x.derogation_bilans_motif, x.decide_at.date()]
              for x in sorted(decisions, key=lambda x: numeros[x.dossier_id])],
             {"Heures financées": FORMAT_HEURES, "P104": FORMAT_EUROS, "Éducation nationale": FORMAT_EUROS,
              "Total": FORMAT_EUROS, "Décidé le": FORMAT_DATE})

    paie = session.exec(
        select(Groupe.dossier_id, Intervenant.nom, Intervenant.prenom, Intervenant.statut, Seance.date_seance,
               SeanceIntervenant.minutes, SeanceIntervenant.liquide_le, SeanceIntervenant.montant_paye)
        .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
        .join(Intervenant, Intervenant.id == SeanceIntervenant.intervenant_id)
        .where(Groupe.dossier_id.in_(ids), Seance.annulee.is_(False))).all()
    # Exact minutes summed per month, written as durations (« 21:20 » in the [h]:mm format), never rounded hours.
    mois: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal("0")])
    for dossier_id, nom, prenom, statut, jour, m, liquide, paye in paie:
        cle = (numeros[dossier_id], etablissements[dossier_id].nom, f"{nom.upper()} {prenom}", statut, jour.replace(day=1))
        mois[cle][0] += m
        if liquide:
            mois[cle][1] += m
            mois[cle][2] += paye or 0
    _feuille(classeur, "Paie", ["N°", "Établissement", "Intervenant", "Statut", "Mois", "Heures réalisées", "Heures liquidées",
                                "Montant brut liquidé"],
             [[*cle[:3], libelle_statut(cle[3]), cle[4], timedelta(minutes=faites), timedelta(minutes=liquidees), brut]
              for cle, (faites, liquidees, brut) in sorted(mois.items())],
             {"Mois": "MM/YYYY", "Heures réalisées": FORMAT_DUREE, "Heures liquidées": FORMAT_DUREE,
              "Montant brut liquidé": FORMAT_EUROS})

    bilans = defaultdict(dict)
    for b in session.exec(select(Bilan).where(Bilan.dossier_id.in_(ids))):
        bilans[b.dossier_id][b.type_bilan] = b
    chiffres = chiffres_bilans(session, [d.id for d, _ in lignes if d.etat in {e.value for e in FINANCES}])
    entetes = ["N°", "Établissement", "Département", "Bilan pédagogique transmis le", "Bilan financier transmis le",
               *CHIFFRES_DECLARES.values(), "Taux d'assiduité (%)", "Montant alloué", "Vacations versées", "Total des dépenses",
               "Reliquat", "Traitement du reliquat", "Écarts signalés"]
    rangees = []
    for dossier_id, c in chiffres.items():
        ped, fin = bilans[dossier_id].get(TypeBilan.PEDAGOGIQUE.value), bilans[dossier_id].get(TypeBilan.FINANCIER.value)
        declares = [_transmis(ped.donnees if ped else {}, nom, c) for nom in CHIFFRES_DECLARES]
        f = fin.donnees if fin else {}
        rangees.append([numeros[dossier_id], etablissements[dossier_id].nom, etablissements[dossier_id].departement_code,
                        ped.transmis_le if ped else None, fin.transmis_le if fin else None, *declares, c.taux_assiduite_pct,
                        _decimal(f.get("montant_alloue")), _decimal(f.get("vacations_brut")), _decimal(f.get("total_depenses")),
                        _decimal(f.get("reliquat")),
                        TraitementReliquat(f["traitement_reliquat"]).libelle if f.get("traitement_reliquat") else "",
                        sum(len(b.donnees.get("ecarts", [])) for b in bilans[dossier_id].values())])
    _feuille(classeur, "Bilans", entetes, rangees,
             {"Bilan pédagogique transmis le": FORMAT_DATE, "Bilan financier transmis le": FORMAT_DATE,
              "Montant alloué": FORMAT_EUROS, "Vacations versées": FORMAT_EUROS, "Total des dépenses": FORMAT_EUROS,
              "Reliquat": FORMAT_EUROS})
    ecriture.journaliser(f"campagne:{campagne_id}", action="export", export=ecriture.operation.cle, lignes=len(lignes))
    sortie = io.BytesIO()
    classeur.properties.creator = "OEPRE"
    classeur.properties.created = datetime(2000, 1, 1)  # reproducible bytes for the same data
    classeur.save(sortie)
    return sortie.getvalue()


def libelle_statut(statut: str) -> str:
    return StatutIntervenant(statut).libelle


def _decimal(valeur) -> Decimal | None:
    return None if valeur is None else Decimal(str(valeur))


def _transmis(donnees: dict, nom: str, chiffres: ChiffresBilan):
    """The figure as transmitted: the head's correction if any, else the computed one."""
    valeur = donnees.get(nom)
    return getattr(chiffres, nom) if valeur is None else valeur


# --- The national survey's CSV --------------------------------------------------------------------


def _texte(nombre) -> str:
    return str(nombre).replace(".", ",")


@operation("enquete_nationale", "Exporter l'enquête nationale", EXPORTATEURS_ENQUETE)
def csv_enquete_nationale(ecriture: Ecriture, campagne_id: int) -> bytes:
    """One line per financed atelier, columns in the survey's order; « ; » separated, UTF-8 with BOM (Excel opens it)."""
    session, acteur = ecriture.session, ecriture.acteur
    campagne = session.get(Campagne, campagne_id)
    lignes = [(d, e) for d, e in _dossiers(session, acteur, campagne) if d.etat in {x.value for x in FINANCES}]
    chiffres = chiffres_bilans(session, [d.id for d, _ in lignes])
    transmis = {b.dossier_id: b.donnees for b in session.exec(select(Bilan).where(
        Bilan.dossier_id.in_([d.id for d, _ in lignes]), Bilan.type_bilan == TypeBilan.PEDAGOGIQUE.value))}
    sortie = io.StringIO()
    ecrivain = EcrivainCsv(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([
        "UAI", "Établissement", "Département", "Groupes", "Heures prévues", "Heures financées", "Heures réalisées", "Séances",
        "Séances annulées", "Heures axe langue", "Heures axe école", "Heures axe valeurs", "Inscrits à la 1re séance",
        "Inscrits sur l'année", "Présents en fin d'année", "Sorties", "Femmes", "Hommes", "Sexe non renseigné",
        *(nom for nom, _, _ in TRANCHES_AGE), "Âge non renseigné", "Primo-arrivants", "Hors UE", "CIR signé",
        "Protection internationale", "Réinscrits", "Nouveaux", "Taux d'assiduité (%)", "Assidus",
        *(nom for nom, _, _ in TRANCHES_HEURES), "Pays d'origine", "Langues", "Intervenants",
        "Part des heures qualifiées FLE/FLS (%)", "DILF/DELF inscrits", "DILF/DELF réussites"])
    for d, e in lignes:
        c, t = chiffres[d.id], transmis.get(d.id, {})
        ages = {x.libelle: x.nombre for x in c.tranches_age}
        heures = {x.libelle: x.nombre for x in c.repartition_heures}
        ecrivain.writerow([
            d.uai, e.nom, e.departement_code, _transmis(t, "nb_groupes", c), _texte(c.heures_prevues), _texte(c.heures_financees),
            _texte(_transmis(t, "heures_realisees", c)), c.nb_seances, c.nb_seances_annulees, _texte(c.heures_langue),
            _texte(c.heures_ecole), _texte(c.heures_valeurs), c.inscrits_debut, _transmis(t, "inscrits_total", c), c.presents_fin,
            c.sorties, _transmis(t, "femmes", c), c.hommes, c.sexe_non_renseigne, *(ages.get(nom, 0) for nom, _, _ in TRANCHES_AGE),
            ages.get("Non renseigné", 0), _transmis(t, "primo_arrivants", c), c.hors_ue, c.cir_signe, c.protection_internationale,
            c.reinscrits, c.nouveaux, _texte(c.taux_assiduite_pct), _transmis(t, "assidus", c),
            *(heures.get(nom, 0) for nom, _, _ in TRANCHES_HEURES), " ; ".join(f"{x.libelle} : {x.nombre}" for x in c.pays),
            " ; ".join(f"{x.libelle} : {x.nombre}" for x in c.langues), c.nb_intervenants, _texte(c.part_heures_qualifiees_pct),
            t.get("inscriptions_dilf_delf") or "", t.get("reussites_dilf_delf") or ""])
    ecriture.journaliser(f"campagne:{campagne_id}", action="export", export=ecriture.operation.cle, lignes=len(lignes))
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")




# --- The Ministry of the Interior's aggregates ----------------------------------------------------


@dataclass(frozen=True)
class TableauAgrege:
    titre: str
    colonnes: list[str]
    lignes: list[tuple[str, list[int | None]]]  # (row label, counts; None = suppressed)

    def en_csv(self) -> str:
        sortie = io.StringIO()
        ecrivain = EcrivainCsv(sortie, delimiter=";", lineterminator="\r\n")
        ecrivain.writerow([self.titre, *self.colonnes])
        for libelle_ligne, valeurs in self.lignes:
            ecrivain.writerow([libelle_ligne, *("< 5" if v is None else v for v in valeurs)])
        return sortie.getvalue()


# Groups of columns, each adding up to « Parents » (the equations an attacker could use).
PARTITIONS = (
    ("Femmes", "Hommes", "Sexe non renseigné"),
    ("Primo-arrivants", "Autres ou non renseigné (arrivée)"),
    ("Hors Union européenne", "Union européenne ou non renseigné"),
    ("CIR signé", "CIR non signé ou non renseigné"),
    ("Protection internationale", "Sans protection ou non renseigné"),
    (*(nom for nom, _, _ in TRANCHES_AGE), "Âge non renseigné"),
)


@operation("agregats_interieur", "Consulter les agrégats", LECTEURS_AGREGATS)
def agregats_interieur(ecriture: Ecriture, campagne_id: int) -> list[TableauAgrege]:
    """Parents of the financed ateliers by département, and by country of origin for the académie: counts only,
    every cell under five suppressed along with the cells that would give it away."""
    session = ecriture.session
    campagne = session.get(Campagne, campagne_id)
    annee = campagne.date_ouverture.year
    parents = session.exec(select(Auditeur, Etablissement.departement_code).join(Dossier, Dossier.id == Auditeur.dossier_id)
                           .join(Etablissement, Etablissement.uai == Dossier.uai)
                           .where(Dossier.campagne_id == campagne_id, Dossier.etat.in_([e.value for e in FINANCES]))).all()
    ateliers = dict(session.exec(select(Etablissement.departement_code, func.count(Dossier.id))
                                 .join(Dossier, Dossier.uai == Etablissement.uai)
                                 .where(Dossier.campagne_id == campagne_id, Dossier.etat.in_([e.value for e in FINANCES]))
                                 .group_by(Etablissement.departement_code)).all())
    colonnes = ["Parents", *(c for partition in PARTITIONS for c in partition)]
    comptes: dict[str, Counter] = defaultdict(Counter)
    for a, dep in parents:
        primo = est_primo_arrivant(a.annee_arrivee_france, annee)
        age = tranche_age(a.annee_naissance, annee)
        for colonne in ("Parents",
                        {"F": "Femmes", "M": "Hommes"}.get(a.sexe, "Sexe non renseigné"),
                        "Primo-arrivants" if primo else "Autres ou non renseigné (arrivée)",
                        "Hors Union européenne" if a.hors_ue else "Union européenne ou non renseigné",
                        "CIR signé" if a.cir_signe == "oui" else "CIR non signé ou non renseigné",
                        "Protection internationale" if a.protection_internationale == "oui" else "Sans protection ou non renseigné",
                        "Âge non renseigné" if age == "Non renseigné" else age):
            comptes[dep][colonne] += 1
    departements = sorted(set(comptes) | set(ateliers))
    brut = [[comptes[dep][c] for c in colonnes] for dep in departements]
    total = [sum(ligne[k] for ligne in brut) for k in range(len(colonnes))]
    indices = {c: k for k, c in enumerate(colonnes)}
    equations = [[(r, indices["Parents"]), *((r, indices[c]) for c in partition)]
                 for r in range(len(brut) + 1) for partition in PARTITIONS]
    equations += [[(len(brut), k), *((r, k) for r in range(len(brut)))] for k in range(len(colonnes))]
    publie = secret_statistique.masquer([*brut, total], equations)
    par_departement = TableauAgrege(
        f"Parents des ateliers OEPRE {campagne.annee_scolaire} par département", ["Ateliers", *colonnes],
        [(f"Département {dep}", [ateliers.get(dep, 0), *valeurs]) for dep, valeurs in zip(departements, publie)]
        + [("Académie", [sum(ateliers.values()), *publie[-1]])])
    pays = secret_statistique.regrouper_petits(
        Counter(Pays(a.pays_origine).libelle if a.pays_origine else "Non renseigné" for a, _ in parents), "Autres pays")
    par_pays = TableauAgrege(f"Parents des ateliers OEPRE {campagne.annee_scolaire} par pays d'origine (académie)",
                             ["Parents"], [(nom, [n]) for nom, n in pays])
    ecriture.journaliser(f"campagne:{campagne_id}", action="export", export=ecriture.operation.cle, lignes=len(parents))
    return [par_departement, par_pays]


def csv_interieur(tableaux: list[TableauAgrege]) -> bytes:
    return ("\ufeff" + "\r\n".join(t.en_csv() for t in tableaux)).encode("utf-8")

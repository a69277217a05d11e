"""Reference data (académies, départements, rate table) and the demo campaign (fictitious schools,
one account per role, a few dossiers at different steps), seeded through the real services."""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from db.models import Academie, Campagne, Departement, Dossier, Etablissement, Intervenant, TauxHoraire, Utilisateur
from demarrage.profils import PROFILS
from forms.base import lettre_cle_uai
from forms.vocabulaire import Role
from infra.settings import a_la_date, aujourdhui
from workflow import services
from workflow.noyau import moteur
from workflow.noyau import profil as profils
from workflow.noyau.auth import acteur_de, hacher
from workflow.noyau.taux import taux_depuis_im100
from workflow.selection import candidature
from workflow.selection.actions import ANNEE_DU_CALENDRIER_TYPE, CALENDRIER_TYPE, decaler_annees

ACADEMIES = {
    "toulouse": ("Toulouse", "Toulouse", [("09", "Ariège", "Foix"), ("12", "Aveyron", "Rodez"),
                                           ("31", "Haute-Garonne", "Toulouse"), ("32", "Gers", "Auch"), ("46", "Lot", "Cahors"),
                                           ("65", "Hautes-Pyrénées", "Tarbes"), ("81", "Tarn", "Albi"),
                                           ("82", "Tarn-et-Garonne", "Montauban")]),
    "montpellier": ("Montpellier", "Montpellier", [("11", "Aude", "Carcassonne"), ("30", "Gard", "Nîmes"),
                                                   ("34", "Hérault", "Montpellier"), ("48", "Lozère", "Mende"),
                                                   ("66", "Pyrénées-Orientales", "Perpignan")]),
}

# (effective date, IM100 annual gross) — spec §7.2; the hourly rate is derived and rounded to the cent.
TAUX = [(date(2010, 7, 1), "5556.35"), (date(2016, 7, 1), "5589.69"), (date(2017, 2, 1), "5623.23"),
        (date(2022, 7, 1), "5820.04"), (date(2023, 7, 1), "5907.34")]

MOT_DE_PASSE_DEMO = "oepre-demo-2025"


def uai(departement: str, numero: int) -> str:
    """A well-formed UAI (with its mod-23 check letter) in a département: fictitious numbering."""
    sept = f"0{departement}{numero:04d}"
    return sept + lettre_cle_uai(sept)


ECOLES = [  # (dept, n°, name, type, commune, circonscription, éducation prioritaire, QPV, UPE2A)
    ("31", 9101, "École élémentaire des Tilleuls", "ecole_elementaire", "Toulouse", "Toulouse Nord", "REP+", True, True),
    ("31", 9102, "École primaire Jean-Moulin", "ecole_primaire", "Colomiers", "Colomiers", "REP", True, False),
    ("31", 9103, "Collège Olympe-de-Gouges", "college", "Toulouse", None, "REP+", True, True),
    ("09", 9104, "École élémentaire du Castella", "ecole_elementaire", "Pamiers", "Pamiers", "aucune", False, False),
    ("12", 9105, "Collège des Causses", "college", "Rodez", None, "aucune", False, True),
    ("32", 9106, "École maternelle Les Hirondelles", "ecole_maternelle", "Auch", "Auch", "aucune", True, False),
    ("46", 9107, "Collège Joachim-Murat", "college", "Cahors", None, "aucune", False, False),
    ("65", 9108, "École élémentaire de l'Adour", "ecole_elementaire", "Tarbes", "Tarbes 1", "REP", True, False),
    ("81", 9109, "Collège Jean-Jaurès", "college", "Albi", None, "REP", True, True),
    ("81", 9110, "École primaire Lapérouse", "ecole_primaire", "Castres", "Castres", "aucune", False, False),
    ("82", 9111, "Lycée professionnel Bourdelle", "lycee_pro", "Montauban", None, "aucune", True, True),
    ("82", 9112, "École élémentaire Ingres", "ecole_elementaire", "Montauban", "Montauban 2", "REP", True, False),
]

# Montpellier, the second demo académie (its own accounts, school, campaign and profile: workflow.noyau.profil).
ECOLES_MONTPELLIER = [
    ("34", 9201, "École élémentaire Les Aubes", "ecole_elementaire", "Montpellier", "Montpellier Centre", "REP+", True, True),
    ("30", 9202, "Collège Diderot", "college", "Nîmes", None, "REP", True, True),
]
ECOLE_MONTPELLIER = uai("34", 9201)

COMPTES_MONTPELLIER = [  # (identifiant, nom affiché, rôle, UAI, département), all of the académie de Montpellier
    ("directeur.aubes@ac-montpellier.fr", "Youssef Amrani, directeur de l'école Les Aubes", Role.PORTEUR,
     ECOLE_MONTPELLIER, None),
    ("dsden34@ac-montpellier.fr", "IEN IO de l'Hérault", Role.DSDEN, None, "34"),
    ("pilote@ac-montpellier.fr", "Conseillère technique EVS (Montpellier)", Role.PILOTE, None, None),
]

ECOLE_PORTEUR = uai("31", 9101)
COLLEGE_DU_TARN = uai("81", 9109)  # the demo's dossier retained by the committee (the Tarn atelier)
COLLEGE_GESTIONNAIRE = uai("31", 9103)

COMPTES = [  # (identifiant, nom affiché, rôle, UAI, département)
    ("directrice.tilleuls@ac-toulouse.fr", "Claire Martin, directrice de l'école des Tilleuls", Role.PORTEUR, ECOLE_PORTEUR, None),
    ("enseignante.tilleuls@ac-toulouse.fr", "Nadia Haddad, enseignante UPE2A (délégation de préparation)", Role.PORTEUR,
     ECOLE_PORTEUR, None),
    ("principal.jaures@ac-toulouse.fr", "Karim Benali, principal du collège Jean-Jaurès", Role.PORTEUR, COLLEGE_DU_TARN, None),
    ("intervenante@ac-toulouse.fr", "Sofia Álvarez, enseignante UPE2A", Role.INTERVENANT, None, None),
    ("gestionnaire.gouges@ac-toulouse.fr", "Paul Garcia, adjoint gestionnaire", Role.GESTIONNAIRE, COLLEGE_GESTIONNAIRE, None),
    ("gestionnaire.jaures@ac-toulouse.fr", "Inès Roux, adjointe gestionnaire du collège Jean-Jaurès", Role.GESTIONNAIRE,
     COLLEGE_DU_TARN, None),
    ("paie.dsden31@ac-toulouse.fr", "Service des vacations de la DSDEN de la Haute-Garonne (1er degré)", Role.GESTIONNAIRE,
     None, "31"),
    ("dsden31@ac-toulouse.fr", "IEN IO de la Haute-Garonne", Role.DSDEN, None, "31"),
    ("dsden81@ac-toulouse.fr", "Division de l'action éducative du Tarn", Role.DSDEN, None, "81"),
    ("daeps@ac-toulouse.fr", "Bureau DAEPS (DOS 5)", Role.DAEPS, None, None),
    ("comite@ac-toulouse.fr", "Membre du comité de pilotage", Role.COMITE, None, None),
    ("casnav@ac-toulouse.fr", "CASNAV de Toulouse", Role.CASNAV, None, None),
    ("pilote@ac-toulouse.fr", "Conseiller technique EVS", Role.PILOTE, None, None),
    ("interieur@occitanie.gouv.fr", "DREETS Occitanie", Role.INTERIEUR, None, None),
    ("admin@ac-toulouse.fr", "Administrateur OEPRE", Role.ADMIN, None, None),
]


def semer_referentiel(session: Session) -> None:
    for code, (nom, ville, deps) in ACADEMIES.items():
        if session.get(Academie, code) is None:
            session.add(Academie(code=code, nom=nom, ville_rectorat=ville))
            session.flush()
            for dep, nom_dep, chef_lieu in deps:
                session.add(Departement(code=dep, nom=nom_dep, chef_lieu=chef_lieu, academie_code=code))
    for effet, im100 in TAUX:
        if session.exec(select(TauxHoraire).where(TauxHoraire.date_effet == effet)).first() is None:
            valeur = Decimal(im100)
            session.add(TauxHoraire(date_effet=effet, im100_annuel=valeur, taux=taux_depuis_im100(valeur)))
    session.commit()


def creer_compte(session: Session, identifiant: str, nom: str, role: Role, uai_: str | None, dep: str | None,
                 mot_de_passe_hash: str, academie: str | None = None) -> Utilisateur:
    u = Utilisateur(identifiant=identifiant, nom_affiche=nom, role=role.value, uai=uai_, departement_code=dep,
                    mot_de_passe_hash=mot_de_passe_hash, academie_code=academie)
    session.add(u)
    session.flush()
    return u


def candidature_demo(heures: str = "80", effectif: int = 14, nom_intervenant: str = "ÁLVAREZ", ecart: int = 0) -> dict:
    """A complete application of the 2025-2026 campaign, its dates moved on by `ecart` years."""
    return _decaler_dates({
        "responsable_nom": "Claire Martin", "responsable_fonction": "directeur_ecole",
        "responsable_email": "direction.tilleuls@ac-toulouse.fr", "responsable_telephone": "05 61 00 00 00",
        "upe2a_dans_structure": True, "renouvellement": False,
        "contexte": "Quartier prioritaire ; nombreuses familles arrivées récemment (Syrie, Afghanistan, Ukraine).",
        "nb_parents_prevus": 28, "nb_primo_arrivants_prevus": 18, "nb_reinscrits_prevus": 6,
        "langues_principales": "arabe, dari, ukrainien", "modalites_reperage": "UPE2A, OFII, centre social",
        "surinscription_prevue": True,
        "groupes": [
            {"libelle": "Groupe A — débutants", "niveau": "A1.1", "effectif_prevu": effectif, "heures_prevues": heures,
             "date_debut": "2025-11-17", "date_fin": "2026-06-19",
             "creneaux": [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}], "lieu": "Salle polyvalente"},
            {"libelle": "Groupe B — intermédiaires", "niveau": "A2", "effectif_prevu": 13, "heures_prevues": "60",
             "date_debut": "2025-11-20", "date_fin": "2026-06-18",
             "creneaux": [{"jour": "jeudi", "debut": "09:00", "fin": "11:00"}], "lieu": "BCD"},
        ],
        "intervenants": [
            {"nom": nom_intervenant, "prenom": "Sofia", "statut": "enseignant_upe2a", "employeur_principal": "EN",
             "heures_prevues": heures, "qualification_fle_fls": True, "groupes": "A"},
            {"nom": "DUBOIS", "prenom": "Marc", "statut": "professeur_hg", "employeur_principal": "EN",
             "heures_prevues": "60", "groupes": "B"},
        ],
        "programme_axe_langue": "Oral du quotidien scolaire : se présenter, comprendre un mot dans le cahier de liaison.",
        "programme_axe_ecole": "Organisation de l'école, rencontres parents-professeurs, ENT et Éduconnect.",
        "programme_axe_valeurs": "Laïcité, égalité filles-garçons, droits et devoirs ; visite de la mairie.",
        "evaluation_diagnostique_prevue": True, "articulation_partenaires": "Centre social, ASL du quartier.",
        "autres_frais": "150", "inscrit_projet_etablissement": True,
    }, ecart)


def _decaler_dates(valeur, ecart: int):
    """Every ISO date (« AAAA-MM-JJ ») in a demo form moved on by `ecart` whole years; the rest unchanged."""
    if isinstance(valeur, dict):
        return {k: _decaler_dates(v, ecart) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_decaler_dates(v, ecart) for v in valeur]
    if ecart and isinstance(valeur, str) and len(valeur) == 10 and valeur[4] == valeur[7] == "-":
        try:
            return decaler_annees(date.fromisoformat(valeur), ecart).isoformat()
        except ValueError:
            return valeur
    return valeur


# The demo campaign's calendar (2025-2026), also the one of the benchmarks' generated years.
CALENDRIER_DEMO = CALENDRIER_TYPE  # the demo campaign keeps the booklet's usual calendar
ANNEE_DEMO = ANNEE_DU_CALENDRIER_TYPE  # the first year of CALENDRIER_DEMO's school year


def ecart_demo(jour: date | None = None) -> int:
    """Whole years from CALENDRIER_DEMO's school year to the school year (September to August) of `jour`, by default
    today: 0 on the tests' fixed day (2025-09-20), 1 on 2026-12-01 (school year 2026-2027)."""
    jour = jour or aujourdhui()
    return (jour.year if jour.month >= 9 else jour.year - 1) - ANNEE_DEMO


def calendrier_demo(jour: date | None = None) -> dict:
    """The demo campaign's calendar in the school year of `jour` (by default today): CALENDRIER_DEMO moved on by whole
    years, so that its deadlines make sense on the day the demo is tried."""
    ecart = ecart_demo(jour)
    annee = ANNEE_DEMO + ecart
    return _decaler_dates(CALENDRIER_DEMO, ecart) | {"annee_scolaire": f"{annee}-{annee + 1}"}


@contextmanager
def _le(jour: date):
    """The demo's history on the day it happened, when that is not today (see `semer_demo`)."""
    if jour == aujourdhui():
        yield
    else:
        with a_la_date(jour):
            yield


def semer_demo(session: Session) -> None:
    """The demo campaign of the current school year (derived from today, so 2025-2026 in the tests), its accounts and
    dossiers. Its history is replayed where today would refuse it: the campaign is opened on its opening day once
    its filing deadline is past, and the Tarn dossier is filed on the opening day if today comes before it. A past
    replayed tells nobody: its steps put no e-mail in the outbox (workflow.noyau.moteur.HISTOIRE_REJOUEE)."""
    if session.exec(select(Campagne)).first() is not None:
        return
    with _histoire_rejouee(session):
        _semer_demo(session)


@contextmanager
def _histoire_rejouee(session: Session):
    session.info[moteur.HISTOIRE_REJOUEE] = True
    try:
        yield
    finally:
        session.info.pop(moteur.HISTOIRE_REJOUEE, None)


def _semer_demo(session: Session) -> None:
    ecart = ecart_demo()
    ouverture = date.fromisoformat(calendrier_demo()["date_ouverture"])
    _semer_ecoles(session, ECOLES, "ac-toulouse.fr")
    # The demo accounts share one published password: hashed once (argon2 costs ~25 ms of a core a hash).
    hash_demo = hacher(MOT_DE_PASSE_DEMO)
    comptes = {ident: creer_compte(session, ident, nom, role, u, d, hash_demo) for ident, nom, role, u, d in COMPTES}
    comptes["enseignante.tilleuls@ac-toulouse.fr"].peut_deposer = False  # drafts for the head, who alone files
    # The intervenant account is Sofia Álvarez, planned in the Tilleuls application: engaged on an atelier, she sees it.
    alvarez = Intervenant(nom="ÁLVAREZ", prenom="Sofia", email="intervenante@ac-toulouse.fr", statut="enseignant_upe2a",
                          employeur_principal="EN", qualification_fle_fls=True)
    session.add(alvarez)
    session.flush()
    comptes["intervenante@ac-toulouse.fr"].intervenant_id = alvarez.id
    session.commit()
    pilote = acteur_de(comptes["pilote@ac-toulouse.fr"])
    campagne = _ouvrir_campagne_demo(session, pilote, {"budget_p104": "120000", "budget_en": "60000"})

    # A dossier already through avis and decision (Tarn), one filed awaiting the avis (Haute-Garonne).
    with _le(max(aujourdhui(), ouverture)):
        _dossier_du_tarn(session, comptes, campagne, pilote, ecart)
    porteur31 = acteur_de(comptes["directrice.tilleuls@ac-toulouse.fr"])
    candidature.creer_dossier(session, porteur31, campagne_id=campagne.id, uai=ECOLE_PORTEUR)


def _semer_ecoles(session: Session, ecoles: list, domaine: str) -> None:
    for dep, n, nom, type_, commune, circo, ep, qpv, upe2a in ecoles:
        code = uai(dep, n)
        session.add(Etablissement(uai=code, nom=nom, type_structure=type_, commune=commune, departement_code=dep,
                                  circonscription_ien=circo, education_prioritaire=ep, qpv=qpv, upe2a=upe2a,
                                  email=f"ce.{code}@{domaine}"))


def _ouvrir_campagne_demo(session: Session, pilote, budgets: dict) -> Campagne:
    """The pilote saves the académie's profile (PROFILS) and opens its demo campaign, whose hours and group size are
    those of the profile; filing stays open (demo only) so that a demo porteur can file today."""
    academie = profils.academie_de(pilote)
    profils.modifier_profil_academie(session, pilote, academie, 0, PROFILS[academie])
    defauts = profils.defauts_de_campagne(profils.profil_de(session, academie))
    calendrier = calendrier_demo()
    ouverture, limite = date.fromisoformat(calendrier["date_ouverture"]), date.fromisoformat(calendrier["date_limite_depot"])
    with _le(aujourdhui() if ouverture <= aujourdhui() <= limite else ouverture):
        res = services.executer(session, pilote, "ouvrir_campagne", pdf_apres=False,
                                donnees=calendrier | budgets | {k: str(v) for k, v in defauts.items()})
    campagne = session.get(Campagne, res.campagne_id)
    campagne.depot_prolonge_jusqu_au = aujourdhui() + timedelta(days=365)
    session.add(campagne)
    session.commit()
    return campagne


def semer_montpellier(session: Session) -> None:
    """The second demo académie, Montpellier (issue 16 item 4): two schools, a head, a DSDEN and a pilote of its own,
    its profile (90 to 120 h a group, CASNAV antennas, contacts) and its campaign of the same school year, with the
    head's draft. None of its people sees Toulouse's data, nor Toulouse's people its own (workflow.noyau.requetes).
    Like Toulouse's, its replayed past tells nobody."""
    if session.exec(select(Campagne).where(Campagne.academie_code == "montpellier")).first() is not None:
        return
    with _histoire_rejouee(session):
        _semer_montpellier(session)


def _semer_montpellier(session: Session) -> None:
    _semer_ecoles(session, ECOLES_MONTPELLIER, "ac-montpellier.fr")
    hash_demo = hacher(MOT_DE_PASSE_DEMO)
    comptes = {ident: creer_compte(session, ident, nom, role, u, d, hash_demo, "montpellier")
               for ident, nom, role, u, d in COMPTES_MONTPELLIER}
    session.commit()
    campagne = _ouvrir_campagne_demo(session, acteur_de(comptes["pilote@ac-montpellier.fr"]),
                                     {"budget_p104": "80000", "budget_en": "40000"})
    porteur = acteur_de(comptes["directeur.aubes@ac-montpellier.fr"])
    candidature.creer_dossier(session, porteur, campagne_id=campagne.id, uai=ECOLE_MONTPELLIER)


def _dossier_du_tarn(session: Session, comptes: dict, campagne: Campagne, pilote, ecart: int) -> None:
    porteur81 = acteur_de(comptes["principal.jaures@ac-toulouse.fr"])
    d81 = candidature.creer_dossier(session, porteur81, campagne_id=campagne.id, uai=COLLEGE_DU_TARN)
    donnees = candidature_demo(nom_intervenant="ROUSSEAU", ecart=ecart) | {
        "responsable_nom": "Karim Benali", "responsable_fonction": "principal",
        "date_ca": decaler_annees(date(2025, 9, 25), ecart).isoformat(), "responsable_email": "direction.jaures@ac-toulouse.fr"}
    services.executer(session, porteur81, "deposer", dossier_id=d81, version=1, donnees=donnees, pdf_apres=False)
    dsden81 = acteur_de(comptes["dsden81@ac-toulouse.fr"])

    services.executer(session, dsden81, "emettre_avis", dossier_id=d81, version=session.get(Dossier, d81).version,
                      donnees={"avis": "favorable", "priorite_departementale": 1, "signataire": "La DASEN du Tarn"},
                      pdf_apres=False)
    services.executer(session, pilote, "decider", dossier_id=d81, version=session.get(Dossier, d81).version, pdf_apres=False,
                      donnees={"decision": "retenu", "heures_financees": "140", "montant_p104": "3000", "montant_en": "1135.60"})

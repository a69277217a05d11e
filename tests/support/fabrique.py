"""A dossier in any state, built through the real engine: the path from its state to the one asked is found in the
step table (a breadth-first search over each row's `depuis → vers`), and each step of it runs through
`workflow.services.executer` with a valid form, as an account of the database whose role and scope the step allows.

    fab = dossier_en_etat(session, Etat.CLOS)          # the demo's Tilleuls draft, filed … closed
    fab.dossier, fab.etapes                            # the dossier, the keys of the steps run (one history row each)
    dossier_en_etat(session, Etat.RETENU, donnees={"decider": {"heures_financees": "120"}})

Every step runs on the settings' « today »; the forms are those of the demo (`demarrage.demo.candidature_demo`, and
the intervenant the Tarn seed of tests/support/semis_atelier.py engages too), dated in the dossier's campaign. The table says which
steps change the state; what it does not say is listed here once per step: a form for each step of a path
(FORMULAIRES) and the steps whose writes a step's guards or action read (PREALABLES: a séance is led by an engaged
intervenant)."""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from db.models import Campagne, Dossier, Etablissement, Transition, Utilisateur
from demarrage.demo import ANNEE_DEMO, ECOLE_PORTEUR, candidature_demo
from forms.vocabulaire import Etat, TypeStructure
from infra.settings import aujourdhui
from workflow import services
from workflow.etapes import ETAPES, ETAPES_PAR_CLE
from workflow.noyau import moteur
from workflow.noyau.auth import acteur_de
from workflow.noyau.etape import Etape
from workflow.noyau.permissions import Acteur, dans_perimetre

GROUPE = "Groupe A — débutants"  # the first group of candidature_demo()
INTERVENANT = {"nom": "Álvarez", "prenom": "Sofia", "statut": "enseignant_upe2a", "employeur_principal": "EN",
               "heures_prevues": "80", "statut_cumul": "accorde", "atteste_hors_service": True}
DECISION_RETENUE = {"heures_financees": "140", "montant_p104": "3000", "montant_en": "1286.10"}


def executer_etape(session: Session, acteur: Acteur, cle: str, dossier: Dossier, **donnees) -> moteur.Resultat:
    """Run step `cle` on the dossier as the actor, at the dossier's current version (no PDF: a test asks for one)."""
    session.refresh(dossier)
    return services.executer(session, acteur, cle, dossier_id=dossier.id, version=dossier.version, donnees=donnees,
                             pdf_apres=False)


def executeur(session: Session, acteur: Acteur, dossier: Dossier) -> Callable[..., moteur.Resultat]:
    """etape(cle, **donnees): executer_etape bound to one actor and one dossier."""
    return lambda cle, **donnees: executer_etape(session, acteur, cle, dossier, **donnees)


# --- The path, from the table --------------------------------------------------------------------------------------


def _aretes() -> list[tuple[Etat, Etape, Etat]]:
    """Every change of state a dossier step can make, in the table's order: (from, step, to)."""
    return [(de, e, vers) for e in ETAPES if e.sujet == "dossier" for de in e.depuis for vers in e.vers if vers != de]


def chemin(depuis: Etat, vers: Etat, *, exclus: frozenset[tuple[Etat, str]] = frozenset()) -> list[tuple[Etape, Etat]]:
    """The shortest path of steps from one state to another (step, state it leads to), first found in the table's
    order; `exclus` leaves out (state, step) pairs already tried there without leaving it."""
    avant: dict[Etat, tuple[Etat, Etape] | None] = {depuis: None}
    file = deque([depuis])
    while file and vers not in avant:
        etat = file.popleft()
        for de, etape, suivant in _aretes():
            if de == etat and suivant not in avant and (de, etape.cle) not in exclus:
                avant[suivant] = (etat, etape)
                file.append(suivant)
    if vers not in avant:
        raise ValueError(f"Aucun chemin de « {depuis.value} » à « {vers.value} » dans la table des étapes.")
    pas: list[tuple[Etape, Etat]] = []
    etat = vers
    while (precedent := avant[etat]) is not None:
        pas.append((precedent[1], etat))
        etat = precedent[0]
    return pas[::-1]


def etats_atteignables(depuis: Etat = Etat.BROUILLON) -> list[Etat]:
    """The states the table's steps lead to from `depuis` (itself included), in the order of Etat."""
    vus, file = {depuis}, deque([depuis])
    while file:
        etat = file.popleft()
        for de, _, suivant in _aretes():
            if de == etat and suivant not in vus:
                vus.add(suivant)
                file.append(suivant)
    return [e for e in Etat if e in vus]


# --- Who runs a step, with which form --------------------------------------------------------------------------------


def acteur_pour(session: Session, etape: Etape, dossier: Dossier) -> Acteur:
    """The first account (the step's roles in their order, then the accounts') that may run the step on the dossier."""
    etab = session.get(Etablissement, dossier.uai)
    comptes = session.exec(select(Utilisateur).order_by(Utilisateur.id)).all()
    for role in etape.acteurs:
        for compte in comptes:
            acteur = acteur_de(compte)
            if (acteur.role == role and dans_perimetre(acteur, uai=etab.uai, departement=etab.departement_code)
                    and (acteur.peut_deposer or not etape.titulaire_seul)):
                return acteur
    raise LookupError(f"Aucun compte ne peut « {etape.libelle} » sur le dossier {dossier.id}.")


@dataclass
class Contexte:
    """What a step's form is built from: the dossier, its school and campaign, the state the path goes to, today."""

    session: Session
    dossier: Dossier
    etab: Etablissement
    campagne: Campagne
    vers: Etat
    jour: date

    @property
    def ecart(self) -> int:
        """Whole years from the demo's school year to the dossier's campaign (the demo's dates moved on by as much)."""
        return int(self.campagne.annee_scolaire[:4]) - ANNEE_DEMO

    @property
    def jour_ouvre(self) -> date:
        """The last weekday up to today: when a séance was held."""
        return self.jour - timedelta(days=max(0, self.jour.weekday() - 4))


def _depot(c: Contexte) -> dict:
    donnees = candidature_demo(ecart=c.ecart)
    if TypeStructure(c.etab.type_structure).degre == 2:  # a secondary school files its board's decision date
        donnees["date_ca"] = c.campagne.date_ouverture.isoformat()
    return donnees


def _decision(c: Contexte) -> dict:
    decision = {"decision": c.vers.value}
    if c.vers in (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS):
        decision |= DECISION_RETENUE
    if c.vers == Etat.RETENU_SOUS_CONDITIONS:
        decision["conditions"] = "Transmettre les deux bilans avant le 15 juillet."
    if c.vers == Etat.NON_RETENU:
        decision["motif_refus"] = "Public déjà accueilli par un atelier voisin."
    return decision


def _engagement(c: Contexte) -> dict:
    """The intervenant engaged from the ateliers' first day (or the séance's, if sooner) to their last (or today, if later)."""
    debut, fin = min(c.jour_ouvre, c.campagne.date_debut_ateliers_min), max(c.jour, c.campagne.date_fin_ateliers)
    return INTERVENANT | {"groupe": GROUPE, "date_debut": debut.isoformat(), "date_fin": fin.isoformat()}


def _seance(c: Contexte) -> dict:
    return {"groupe": GROUPE, "date_seance": c.jour_ouvre.isoformat(), "heure_debut": "14:00", "heure_fin": "16:00",
            "axes": ["langue"], "intervenants": [f"{INTERVENANT['prenom']} {INTERVENANT['nom']}"]}


FORMULAIRES: dict[str, Callable[[Contexte], dict]] = {
    "deposer": _depot,
    "renvoyer_pour_correction": lambda c: {"motif": "Programme de l'axe 3 trop court."},
    "emettre_avis": lambda c: {"avis": "favorable", "signataire": f"DASEN {c.etab.departement_code}"},
    "decider": _decision,
    "engager_intervenant": _engagement,
    "enregistrer_seance": _seance,
    "terminer_ateliers": lambda c: {},
    "transmettre_bilan_pedagogique": lambda c: {"date_envoi": c.jour.isoformat()},
    "transmettre_bilan_financier": lambda c: {"date_envoi": c.jour.isoformat(), "traitement_reliquat": "reversement"},
    "abandonner": lambda c: {"motif": "Intervenante partie, aucune remplaçante trouvée."},
}
PREALABLES: dict[str, tuple[str, ...]] = {"enregistrer_seance": ("engager_intervenant",)}


# --- The factory -----------------------------------------------------------------------------------------------------


@dataclass
class Fabrication:
    dossier: Dossier
    etapes: list[str] = field(default_factory=list)  # the keys of the steps run, in order: one history row each


def dossier_en_etat(session: Session, etat: Etat, *, dossier: Dossier | None = None,
                    donnees: dict[str, dict] | None = None) -> Fabrication:
    """Take the dossier (by default the demo's Tilleuls draft) to `etat` through the engine, along the table's shortest
    path; `donnees` adds to or overrides a step's form by its key ({"decider": {"heures_financees": "120"}})."""
    dossier = dossier or session.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    fabrication = Fabrication(dossier)
    essayes: set[tuple[Etat, str]] = set()  # a step that left the dossier where it was (the first of two bilans)

    def executer(etape: Etape, vers: Etat) -> None:
        session.refresh(dossier)
        c = Contexte(session, dossier, session.get(Etablissement, dossier.uai), session.get(Campagne, dossier.campagne_id),
                     vers, aujourdhui())
        formulaire = FORMULAIRES[etape.cle](c) | (donnees or {}).get(etape.cle, {})
        executer_etape(session, acteur_pour(session, etape, dossier), etape.cle, dossier, **formulaire)
        fabrication.etapes.append(etape.cle)

    while (actuel := Etat(dossier.etat)) != etat:
        etape, vers = chemin(actuel, etat, exclus=frozenset(essayes))[0]
        for cle in PREALABLES.get(etape.cle, ()):
            if cle not in fabrication.etapes:
                executer(ETAPES_PAR_CLE[cle], actuel)
        executer(etape, vers)
        session.refresh(dossier)
        if Etat(dossier.etat) == actuel:
            essayes.add((actuel, etape.cle))
    return fabrication


def historique(session: Session, dossier: Dossier) -> list[Transition]:
    """The dossier's history rows, oldest first."""
    return list(session.exec(select(Transition).where(Transition.dossier_id == dossier.id).order_by(Transition.id)))

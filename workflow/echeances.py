"""The table's deadlines, one answer for the dashboard and for the e-mails: which dossier steps have one, when it
falls for a campaign, which dossiers still wait for it, and so which are overdue."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from db.models import Campagne, Document, Dossier, Etablissement
from forms.vocabulaire import Etat
from workflow import etapes
from workflow.noyau.etape import Etape
from workflow.noyau.format import date_fr
from workflow.noyau.permissions import Acteur
from workflow.noyau.regles import limite_de_depot
from workflow.noyau.requetes import filtre_perimetre

Dossiers = Iterable[tuple[Dossier, Etablissement]]


def etapes_a_echeance() -> list[Etape]:
    """The dossier steps of the table that have a deadline: the ones reminded and watched for delays."""
    return [e for e in etapes.ETAPES if e.sujet == "dossier" and e.echeance]


def echeance_de(etape: Etape, campagne: Campagne) -> date:
    """The step's deadline for this campaign; filing's moves with the pilote's reopening."""
    return limite_de_depot(campagne) if etape.echeance == "date_limite_depot" else getattr(campagne, etape.echeance)


def en_attente(etape: Etape, dossiers: Dossiers, faits: set[tuple[int, str]]) -> list[tuple[Dossier, Etablissement]]:
    """Dossiers still waiting for this step: in a state it leaves from and, when the step may leave the state as it
    is (crediting, a bilan), without the document it produces (`faits`: the (dossier, document type) produced)."""
    attente = [(d, e) for d, e in dossiers if Etat(d.etat) in etape.depuis]
    if etape.gabarits and (not etape.vers or set(etape.vers) & set(etape.depuis)):
        attente = [(d, e) for d, e in attente if (d.id, etape.gabarits[0]) not in faits]
    return attente


@dataclass(frozen=True)
class Retard:
    etape: Etape
    echeance: date
    dossiers: list[tuple[Dossier, Etablissement]]

    @property
    def libelle(self) -> str:
        return f"{self.etape.libelle} — échéance du {date_fr(self.echeance)} passée"


def retards(campagne: Campagne, dossiers: Dossiers, faits: set[tuple[int, str]], jour: date) -> list[Retard]:
    """Each step whose deadline has passed on `jour`, with the dossiers still waiting for it."""
    dossiers = list(dossiers)
    sortie = []
    for etape in etapes_a_echeance():
        echeance = echeance_de(etape, campagne)
        if echeance < jour and (attente := en_attente(etape, dossiers, faits)):
            sortie.append(Retard(etape, echeance, attente))
    return sortie


def faits_de_la_campagne(session: Session, campagne_id: int) -> set[tuple[int, str]]:
    """The (dossier, document type) pairs the campaign's dossiers have produced."""
    return set(session.exec(select(Document.dossier_id, Document.type_document).where(
        Document.campagne_id == campagne_id, Document.dossier_id.is_not(None)).distinct()))


@dataclass(frozen=True)
class RetardDepartement:
    departement: str
    libelle: str
    nombre: int


def retards_visibles(session: Session, acteur: Acteur, campagne: Campagne, jour: date) -> list[RetardDepartement]:
    """The overdue items of the actor's scope, by département (the dashboard): the same as the pilote's e-mail."""
    dossiers = list(session.exec(select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
                                 .where(Dossier.campagne_id == campagne.id, filtre_perimetre(acteur)).order_by(Dossier.id)))
    sortie = []
    for retard in retards(campagne, dossiers, faits_de_la_campagne(session, campagne.id), jour):
        par_departement = Counter(e.departement_code for _, e in retard.dossiers)
        sortie += [RetardDepartement(dep, retard.libelle, n) for dep, n in sorted(par_departement.items())]
    return sortie

"""Who publishes the service, and whom a person writes to about it: the académie of the deployment (its name and its
rectorat's city), the contact of its DAEPS office from the académie's profile (OEPRE_CONTACT_SERVICE overrides it)
and its data protection officer (OEPRE_DPD_COURRIEL)."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from db.models import Academie
from forms.vocabulaire import RubriqueContact
from infra.settings import get_settings
from workflow.noyau.profil import contact_dpd, profil_de


@dataclass(frozen=True)
class Editeur:
    academie: str  # « Toulouse »
    ville_rectorat: str
    contact: str | None  # an e-mail address (None: neither the settings nor the profile give one)
    dpd: str

    @property
    def rectorat(self) -> str:
        return f"Rectorat de l'académie de {self.academie}"

    @property
    def responsable_du_traitement(self) -> str:
        return f"le recteur de l'académie de {self.academie} ({self.rectorat}, {self.ville_rectorat})"


def editeur_des_reglages() -> Editeur:
    """The publisher as the settings alone say it: what the footer prints while the database is away."""
    reglages = get_settings()
    nom = reglages.academie.capitalize()
    return Editeur(nom, nom, reglages.contact_service, contact_dpd(reglages.academie))


def editeur(session: Session) -> Editeur:
    reglages = get_settings()
    academie = session.get(Academie, reglages.academie)
    nom = academie.nom if academie else reglages.academie.capitalize()
    ville = academie.ville_rectorat if academie else nom
    daeps = [c for c in profil_de(session, reglages.academie).contacts or []
             if c.get("rubrique") == RubriqueContact.DAEPS and c.get("courriel")]
    contact = reglages.contact_service or (daeps[0]["courriel"] if daeps else None)
    return Editeur(nom, ville, contact, contact_dpd(reglages.academie))


def editeur_du_pied_de_page(ouvrir_session: Callable[[], AbstractContextManager[Session]]) -> Editeur:
    """The publisher every page's footer prints; while the database is away, the settings' one (the page says so in
    French above it, never a traceback)."""
    try:
        with ouvrir_session() as session:
            return editeur(session)
    except SQLAlchemyError:
        return editeur_des_reglages()

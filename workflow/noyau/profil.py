"""The académie's profile (issue 16 item 4): its own rules for a group (hours, minimum size), its CASNAV antennas,
the booklet's contacts directory and the regulatory references of its campaigns. The campaign form takes its
defaults from it, the filing's guards read the profile of the dossier's académie, and the documents print its
contacts and references (workflow.noyau.moteur.contexte_commun). The admin or the pilote edits it
(`modifier_profil_academie`), under an optimistic lock like a dossier."""

from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import Academie, Departement, ProfilAcademie, maintenant
from forms.base import ErreursSaisie, valider
from forms.contexte import REFERENCES_REGLEMENTAIRES, ContactContexte
from forms.profil import ProfilAcademieForm
from forms.vocabulaire import Role, RubriqueContact
from infra.settings import get_settings
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur
from workflow.noyau.transaction import ConflitEdition

# Who edits the profile: the administrator and the pilote (CT-EVS) of the académie.
EDITEURS_PROFIL = (Role.ADMIN, Role.PILOTE)

# An académie without a profile yet gets the national rules of the circular: 60 h at least, no maximum of its own,
# 12 parents (the booklet's figure, which the campaign form has always proposed) and the national texts.
HEURES_MIN_NATIONAL = Decimal("60")
TAILLE_MIN_NATIONALE = 12
HEURES_MAX_CAMPAGNE = Decimal("120")  # what the campaign form proposes when the profile sets no maximum


def academie_de(acteur: Acteur | None) -> str:
    """The académie whose data the actor sees: its account's, or the deployment's (OEPRE_ACADEMIE) for an account
    that names none. Without an actor (the scheduler, the seed), the deployment's."""
    return (acteur.academie if acteur is not None else None) or get_settings().academie


def contact_dpd(academie_code: str) -> str:
    """Whom a person writes to about their data: the académie's data protection officer (OEPRE_DPD_COURRIEL), or its
    rectorat's usual address for them."""
    return get_settings().dpd_courriel or f"dpd@ac-{academie_code}.fr"


def profil_de(session: Session, academie_code: str) -> ProfilAcademie:
    """The académie's profile; an académie that has none yet reads the national rules (a row not stored)."""
    profil = session.get(ProfilAcademie, academie_code)
    if profil is not None:
        return profil
    return ProfilAcademie(academie_code=academie_code, heures_min_par_groupe=HEURES_MIN_NATIONAL,
                          heures_max_par_groupe=None, taille_groupe_min=TAILLE_MIN_NATIONALE,
                          references_reglementaires=list(REFERENCES_REGLEMENTAIRES), version=0)


def valeurs_du_profil(profil: ProfilAcademie) -> dict:
    """The profile as its form's values (what the page shows to edit)."""
    return {nom: getattr(profil, nom) for nom in ProfilAcademieForm.model_fields}


def defauts_de_campagne(profil: ProfilAcademie) -> dict:
    """What a new campaign's form proposes from the profile: its hours and its minimum group size."""
    maximum = profil.heures_max_par_groupe or max(HEURES_MAX_CAMPAGNE, Decimal(profil.heures_min_par_groupe))
    return {"heures_min_par_groupe": Decimal(profil.heures_min_par_groupe), "heures_max_par_groupe": Decimal(maximum),
            "taille_groupe_min": profil.taille_groupe_min, "taille_groupe_max": max(15, profil.taille_groupe_min)}


def contacts_du_document(session: Session, academie_code: str, departement: str | None = None) -> list[ContactContexte]:
    """The contacts a document prints: the académie's (CT-EVS, DAEPS, CASNAV) and, for a dossier, those of its
    département (DSDEN, Intérieur, CASNAV antenna); for a campaign document, every one, by heading."""
    profil = profil_de(session, academie_code)
    ordre = list(RubriqueContact)
    lignes = [c for c in profil.contacts
              if departement is None or not c.get("departement") or c.get("departement") == departement]
    lignes.sort(key=lambda c: (ordre.index(RubriqueContact(c["rubrique"])), c.get("departement") or ""))
    out = [ContactContexte(rubrique=RubriqueContact(c["rubrique"]).libelle, departement=c.get("departement") or "",
                           nom=c["nom"], fonction=c.get("fonction") or "", courriel=c.get("courriel") or "",
                           telephone=c.get("telephone") or "") for c in lignes]
    out += [ContactContexte(rubrique="Antenne du CASNAV", departement=a["departement"], nom=a["antenne"])
            for a in profil.antennes_casnav if departement is None or a["departement"] == departement]
    return out


def _exiger_academie(session: Session, acteur: Acteur, academie_code: str) -> Academie:
    academie = session.get(Academie, academie_code)
    if academie is None:
        raise ErreursSaisie([f"L'académie « {academie_code} » n'existe pas."])
    if academie_de(acteur) != academie_code:
        raise AccesRefuse("Accès refusé : ce profil n'est pas celui de votre académie.")
    return academie


@operation("modifier_profil_academie", "Modifier le profil de l'académie", EDITEURS_PROFIL)
def modifier_profil_academie(ecriture: Ecriture, academie_code: str, version_lue: int, donnees: dict) -> ProfilAcademie:
    """The admin or the pilote saves the académie's profile; `version_lue` is the version their screen showed (0 for
    a profile never saved): someone who saved in between makes this a conflict, and nothing is written."""
    session, acteur = ecriture.session, ecriture.acteur
    academie = _exiger_academie(session, acteur, academie_code)
    form = valider(ProfilAcademieForm, donnees)
    siens = set(session.exec(select(Departement.code).where(Departement.academie_code == academie_code)))
    etrangers = sorted({x.departement for x in (*form.contacts, *form.antennes_casnav)
                        if x.departement and x.departement not in siens})
    if etrangers:
        raise ErreursSaisie([f"Département {d} : il n'est pas de l'académie de {academie.nom} "
                             f"(ses départements : {', '.join(sorted(siens))})." for d in etrangers])
    valeurs = form.model_dump(mode="json") | {"heures_min_par_groupe": form.heures_min_par_groupe,
                                              "heures_max_par_groupe": form.heures_max_par_groupe}
    conflit = ConflitEdition("Le profil de l'académie")
    if session.get(ProfilAcademie, academie_code) is None:
        if version_lue != 0:
            raise conflit
        session.add(ProfilAcademie(academie_code=academie_code, version=1, modifie_par_id=acteur.id, **valeurs))
        try:
            session.flush()
        except IntegrityError as exc:  # someone created it at the same moment: the primary key refuses the second one
            raise conflit from exc
    else:
        res = session.exec(update(ProfilAcademie)
                           .where(ProfilAcademie.academie_code == academie_code, ProfilAcademie.version == version_lue)
                           .values(version=version_lue + 1, modifie_par_id=acteur.id, modifie_at=maintenant(), **valeurs))
        if res.rowcount != 1:
            raise conflit
    ecriture.journaliser(f"academie:{academie_code}", heures_min=str(form.heures_min_par_groupe),
                         heures_max=str(form.heures_max_par_groupe or ""), taille_groupe_min=form.taille_groupe_min,
                         references=len(form.references_reglementaires), contacts=len(form.contacts),
                         antennes=len(form.antennes_casnav))
    session.flush()
    profil = session.get(ProfilAcademie, academie_code)
    session.refresh(profil)
    return profil

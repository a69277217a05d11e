"""`python -m demarrage.administrateur ADRESSE "Prénom Nom"`: at installation, open the administrator account of
the deployment's académie (OEPRE_ACADEMIE) and print the single-use link that chooses its password (it is also put
in the outbox, sent by e-mail when a server is set). Run it again for a new link (a lost password, an expired link):
the earlier one no longer works. No password is ever typed here."""

import argparse
import sys

from sqlmodel import Session, select

from db.models import Academie, Utilisateur
from forms.base import ErreursSaisie, valider
from forms.comptes import CompteForm
from forms.vocabulaire import Role
from infra.base import session
from infra.settings import get_settings
from infra.settings import maintenant as horloge
from workflow import comptes
from workflow.noyau.auth import acteur_de


def ouvrir_administrateur(s: Session, identifiant: str, nom: str) -> str:
    """The académie's administrator account, created with no password if it does not exist (as the demo seeds its
    accounts), then the link to choose it, sent by the administrator's own operation « envoyer_lien_compte » (hence in
    the audit log). Any other existing account is refused: an administrator is not made from another role's account."""
    form = valider(CompteForm, {"identifiant": identifiant, "nom_affiche": nom, "role": Role.ADMIN.value})
    academie = get_settings().academie
    if s.get(Academie, academie) is None:
        raise ErreursSaisie([f"L'académie « {academie} » (réglage OEPRE_ACADEMIE) n'est pas dans le référentiel."])
    u = s.exec(select(Utilisateur).where(Utilisateur.identifiant == form.identifiant)).first()
    if u is not None and (u.role != Role.ADMIN.value or (u.academie_code or academie) != academie):
        raise ErreursSaisie([f"Un compte {form.identifiant} existe déjà, qui n'est pas l'administrateur de l'académie."])
    if u is None:
        u = Utilisateur(identifiant=form.identifiant, nom_affiche=form.nom_affiche, role=Role.ADMIN.value,
                        academie_code=academie, mot_de_passe_hash=comptes.SANS_MOT_DE_PASSE, cree_at=horloge())
        s.add(u)
        s.commit()
    if not u.actif:
        raise ErreursSaisie([f"Le compte {u.identifiant} est désactivé : un autre administrateur peut le réactiver."])
    return comptes.envoyer_lien(s, acteur_de(u), u.id).adresse


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("identifiant", help="adresse électronique de l'administrateur")
    parser.add_argument("nom", help="nom affiché")
    args = parser.parse_args(arguments)
    try:
        with session() as s:
            lien = ouvrir_administrateur(s, args.identifiant, args.nom)
    except ErreursSaisie as exc:
        print("\n".join(exc.messages), file=sys.stderr)
        return 1
    heures = get_settings().invitation_heures
    print(f"Compte d'administrateur prêt : {args.identifiant}.\n"
          f"Ouvrez ce lien pour choisir le mot de passe (il ne sert qu'une fois, valable {heures} h) :\n{lien}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

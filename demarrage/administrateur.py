"""`python -m demarrage.administrateur ADRESSE "Prénom Nom"`: at installation, open the administrator account of
the deployment's académie (OEPRE_ACADEMIE) and print the single-use link that chooses its password (it is also put
in the outbox, sent by e-mail when a server is set). Run it again for a new link. No password is ever typed here."""

import argparse
import sys

from forms.base import ErreursSaisie
from infra.base import session
from infra.settings import get_settings
from workflow.comptes import ouvrir_administrateur


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

"""`python -m demarrage.initialisation [--demo]`: migrate the database to head, seed the reference data
and, with --demo, the demo campaigns of Toulouse and Montpellier (each only when its académie has none yet)."""

import argparse
from pathlib import Path

from db.migrations_api import upgrade_to_head
from demarrage import secrets_streamlit
from demarrage.demo import semer_demo, semer_montpellier, semer_referentiel
from documents import stockage
from infra.base import session
from infra.settings import get_settings
from workflow.automatismes.balayage import balayer


def initialiser(demo: bool) -> None:
    reglages = get_settings()
    reglages.documents_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(depot := stockage.depot(reglages), stockage.DepotS3):
        depot.creer_le_bucket()
    if reglages.database_url.startswith("sqlite:///"):
        Path(reglages.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(reglages.database_url)
    secrets_streamlit.ecrire(reglages)  # the [auth] section of st.login, from the OEPRE_OIDC_* settings
    with session() as s:
        balayer(s)  # what a process killed before this start left behind
        semer_referentiel(s)
        if demo:
            semer_demo(s)
            semer_montpellier(s)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true", help="seed the demo campaign and accounts")
    initialiser(parser.parse_args().demo)
    print("Base de données prête.")

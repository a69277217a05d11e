"""The publisher the footer prints: from the académie's profile when the database answers, from the settings alone
when it is away (a real engine on a port nobody listens to, not a mock)."""

from sqlmodel import Session, create_engine

from conformite.editeur import editeur_du_pied_de_page
from infra.settings import get_settings


def test_la_base_absente_le_pied_de_page_dit_l_academie_des_reglages():
    moteur = create_engine("postgresql+psycopg://oepre@127.0.0.1:9/oepre", connect_args={"connect_timeout": 2})
    publie_par = editeur_du_pied_de_page(lambda: Session(moteur))
    assert publie_par.academie == get_settings().academie.capitalize()
    assert publie_par.rectorat.startswith("Rectorat de l'académie de ")

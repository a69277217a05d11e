"""The vacation rate table (spec §7.2): the rate of a date, and the administrator's new rows."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from db.models import JournalAudit
from forms.base import ErreursSaisie
from workflow.noyau.permissions import AccesRefuse
from workflow.noyau.taux import TauxManquant, ajouter_taux, table_des_taux, taux_a_la_date, taux_depuis_im100


def test_taux_en_vigueur_au_1er_juillet_2023():
    assert taux_depuis_im100(Decimal("5907.34")) == Decimal("29.54")


@pytest.mark.parametrize(("im100", "taux"), [("5905.00", "29.53"), ("5906.00", "29.53"), ("5906.99", "29.53"),
                                             ("5907.00", "29.54")])
def test_arrondi_au_centime_le_plus_proche_moitie_superieure(im100, taux):
    assert taux_depuis_im100(Decimal(im100)) == Decimal(taux)  # 29,525 → 29,53 (not the banker's 29,52)


def test_l_administrateur_ajoute_une_revalorisation(demo, acteurs):
    ligne = ajouter_taux(demo, acteurs["admin"], {"date_effet": "2026-01-01", "im100_annuel": "6 000,00"})
    assert ligne.taux == Decimal("30.00")
    assert taux_a_la_date(demo, date(2025, 12, 31)) == Decimal("29.54")
    assert taux_a_la_date(demo, date(2026, 1, 1)) == Decimal("30.00")
    assert table_des_taux(demo)[0].date_effet == date(2026, 1, 1)
    assert demo.exec(select(JournalAudit).where(JournalAudit.action == "ajouter_taux")).one().details["taux"] == "30.00"


def test_date_deja_presente_ou_saisie_fausse_refusees_en_francais(demo, acteurs):
    with pytest.raises(ErreursSaisie, match="un taux existe déjà au 01/07/2023"):
        ajouter_taux(demo, acteurs["admin"], {"date_effet": "2023-07-01", "im100_annuel": "6000"})
    with pytest.raises(ErreursSaisie, match="Traitement annuel brut"):
        ajouter_taux(demo, acteurs["admin"], {"date_effet": "2026-01-01", "im100_annuel": "six mille"})


@pytest.mark.parametrize("qui", ["pilote", "gestionnaire", "porteur", "daeps"])
def test_seul_l_administrateur_modifie_la_table(demo, acteurs, qui):
    with pytest.raises(AccesRefuse):
        ajouter_taux(demo, acteurs[qui], {"date_effet": "2026-01-01", "im100_annuel": "6000"})


def test_date_sans_taux_message_clair(demo):
    with pytest.raises(TauxManquant, match="Aucun taux horaire de vacation n'est défini au 30/06/2010"):
        taux_a_la_date(demo, date(2010, 6, 30))

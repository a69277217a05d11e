"""Issue 19 item 5: two académies' years side by side in one database (the demo's Toulouse and Montpellier). Every
page of every role of each, as one account of that role sees it — its texts, tables, metrics and the options of its
lists — names no school of the other académie, by name or by UAI."""

import pytest
from sqlmodel import select

from db.models import Utilisateur
from demarrage.demo import COMPTES, COMPTES_MONTPELLIER, ECOLES, ECOLES_MONTPELLIER, semer_montpellier, uai
from forms.vocabulaire import Role
from tests.support.appli import ouvrir_application, textes_de
from workflow.navigation import pages_du_role
from workflow.noyau.auth import acteur_de

MARQUES = {"toulouse": [m for d, n, nom, *_ in ECOLES for m in (nom, uai(d, n))],
           "montpellier": [m for d, n, nom, *_ in ECOLES_MONTPELLIER for m in (nom, uai(d, n))]}
# One account per role and académie (the first of its role in the demo's lists), administrators included.
UN_PAR_ROLE = {(academie, role): ident for academie, comptes in (("toulouse", COMPTES), ("montpellier", COMPTES_MONTPELLIER))
               for ident, _, role, _, _ in reversed(comptes)}


def _tout_le_texte(at) -> str:
    morceaux = [textes_de(at)]
    morceaux += [e.value.to_string() for e in at.dataframe]
    morceaux += [str(e.value) for e in at.table]
    morceaux += [f"{m.label} {m.value}" for m in at.metric]
    for liste in (*at.selectbox, *at.multiselect, *at.radio):
        morceaux += [str(o) for o in liste.options]
    morceaux += [e.label for e in at.expander]
    return "\n".join(morceaux)


@pytest.mark.parametrize(("academie", "role"), sorted(UN_PAR_ROLE), ids=lambda x: str(getattr(x, "value", x)))
def test_rien_d_une_academie_dans_l_autre(demo, academie, role):
    semer_montpellier(demo)
    demo.commit()
    compte = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == UN_PAR_ROLE[(academie, role)])).one()
    acteur = acteur_de(compte)
    autre = "montpellier" if academie == "toulouse" else "toulouse"
    fuites, siennes = [], set()
    for page in pages_du_role(Role(role)):
        at = ouvrir_application(acteur, page.fichier, delai=90)
        assert not at.exception, (page.titre, at.exception)
        texte = _tout_le_texte(at)
        fuites += [f"{page.titre} : « {m} »" for m in MARQUES[autre] if m in texte]
        siennes |= {m for m in MARQUES[academie] if m in texte}
    assert fuites == [], "\n".join(fuites)
    assert siennes  # the pages do show the account's own académie's schools: the search reads what they print

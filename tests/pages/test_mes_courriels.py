"""The page « Mes courriels » through AppTest: every role that receives transition e-mails sees one choice per kind
of its own, and saving writes its choice (audit-logged); the other roles do not have the page."""

import pytest
from sqlmodel import select

from db.models import JournalAudit, PreferenceCourriel
from forms.vocabulaire import FrequenceCourriel, Role
from tests.pages.test_pages import ROLES_DEMO
from tests.support.appli import bouton, ouvrir_application, textes_de
from workflow.automatismes import transitions
from workflow.navigation import pages_du_role

PAGE = "pages/mes_courriels.py"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_chacun_choisit_ses_courriels(demo, acteurs, role):
    acteur = acteurs[ROLES_DEMO[role]]
    genres = transitions.genres_du_role(role)
    if role not in transitions.DESTINATAIRES:
        assert genres == [] and PAGE not in {p.fichier for p in pages_du_role(role)}
        return
    at = ouvrir_application(acteur, PAGE)
    assert not at.exception and [r.label for r in at.radio] == [g.libelle for g in genres]
    assert [r.value for r in at.radio] == [g.defaut for g in genres]  # nothing chosen yet: the defaults
    autre = {g.type_notification: next(f for f in FrequenceCourriel if f != g.defaut) for g in genres}
    for g in genres:
        at.radio(key=f"mes_courriels_{g.type_notification}").set_value(autre[g.type_notification])
    bouton(at, "Enregistrer mes choix").click().run()
    assert not at.exception and f"{len(genres)} choix enregistré(s)." in textes_de(at)
    demo.expire_all()
    lignes = demo.exec(select(PreferenceCourriel).where(PreferenceCourriel.utilisateur_id == acteur.id)).all()
    assert {p.type_notification: p.frequence for p in lignes} == {t: f.value for t, f in autre.items()}
    (trace,) = demo.exec(select(JournalAudit).where(JournalAudit.action == "choisir_courriels",
                                                    JournalAudit.utilisateur_id == acteur.id)).all()
    assert trace.details == {"choix": {t: f.value for t, f in autre.items()}}
    # Opened again, the page shows the choice; saved unchanged, nothing is written.
    at = ouvrir_application(acteur, PAGE)
    assert [r.value for r in at.radio] == [autre[g.type_notification] for g in genres]
    bouton(at, "Enregistrer mes choix").click().run()
    assert "Rien n'a changé." in textes_de(at)

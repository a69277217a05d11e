"""The « Profil de l'académie » page through AppTest: the pilote edits it, a bad number is refused in French with
what was typed kept, a save made meanwhile by someone else is a conflict, the roles that only read see no form, and
the campaign form takes its defaults from the profile."""

from decimal import Decimal

import pytest

from db.models import ProfilAcademie
from demarrage.profils import PROFILS
from forms.vocabulaire import Role
from tests.support.appli import bouton, ouvrir_application, textes_de
from workflow.navigation import pages_du_role
from workflow.noyau import profil as profils

PAGE = "pages/profil.py"


def test_le_pilote_modifie_le_profil_par_la_page(demo, acteurs):
    at = ouvrir_application(acteurs["pilote"], PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Profil de l'académie"
    assert "dos5@ac-toulouse.fr" in at.dataframe[0].value["Courriel"].tolist()  # the booklet's contacts directory
    at.text_input(key="profil_heures_min_par_groupe").input("80")
    at.text_input(key="profil_heures_max_par_groupe").input("70")
    bouton(at, "Enregistrer le profil").click().run()
    assert any("« Heures maximum par groupe » (70 h) doit être supérieur ou égal au minimum (80 h)" in e.value for e in at.error)
    assert at.text_input(key="profil_heures_min_par_groupe").value == "80"  # a failed validation clears nothing
    demo.expire_all()
    assert demo.get(ProfilAcademie, "toulouse").version == 1
    at.text_input(key="profil_heures_max_par_groupe").input("110")
    bouton(at, "Enregistrer le profil").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    enregistre = demo.get(ProfilAcademie, "toulouse")
    assert (enregistre.version, enregistre.heures_min_par_groupe, enregistre.heures_max_par_groupe) == (2, 80, 110)
    assert "au moins 80 h, 110 h au plus" in textes_de(at)
    assert "Profil de l'académie enregistré" in textes_de(at)


def test_une_modification_faite_entre_temps_est_un_conflit(demo, acteurs):
    at = ouvrir_application(acteurs["pilote"], PAGE)
    profils.modifier_profil_academie(demo, acteurs["admin"], "toulouse", 1, PROFILS["toulouse"] | {"taille_groupe_min": 9})
    at.number_input(key="profil_taille_groupe_min").set_value(14)
    bouton(at, "Enregistrer le profil").click().run()
    assert any("Le profil de l'académie a été modifié par une autre personne" in e.value for e in at.error)
    assert at.number_input(key="profil_taille_groupe_min").value == 14
    demo.expire_all()
    assert demo.get(ProfilAcademie, "toulouse").taille_groupe_min == 9


@pytest.mark.parametrize("role", [r for r in Role if any(p.fichier == PAGE for p in pages_du_role(r))])
def test_chaque_role_qui_voit_la_page_n_edite_que_s_il_le_peut(demo, acteurs, role):
    acteur = next(a for a in acteurs.values() if a.role == role)
    at = ouvrir_application(acteur, PAGE)
    assert not at.exception, at.exception
    editeur = role in profils.EDITEURS_PROFIL
    assert bool([b for b in at.button if b.label == "Enregistrer le profil"]) is editeur
    assert "Heures par groupe" in textes_de(at)


def test_le_formulaire_de_campagne_propose_les_seuils_du_profil(demo, acteurs):
    profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1,
                                     PROFILS["toulouse"] | {"heures_min_par_groupe": "75", "taille_groupe_min": 10})
    at = ouvrir_application(acteurs["pilote"], "pages/campagne.py")
    assert not at.exception, at.exception
    assert at.text_input(key="campagne_nouvelle_heures_min_par_groupe").value == "75,00"
    assert at.number_input(key="campagne_nouvelle_taille_groupe_min").value == 10
    assert Decimal(at.text_input(key="campagne_nouvelle_heures_max_par_groupe").value.replace(",", ".")) == 120


def test_le_message_d_enregistrement_reste_sur_sa_page(demo, acteurs):
    """Saved, then another page opened at once (within the seconds a message stays): the message is not carried
    there, where it would push the page's widgets down and reset them; back on the profile page, it has gone."""
    at = ouvrir_application(acteurs["pilote"], PAGE)
    at.text_input(key="profil_heures_min_par_groupe").input("80")
    bouton(at, "Enregistrer le profil").click().run()
    assert any("Profil de l'académie enregistré" in s.value for s in at.success)
    at.switch_page("pages/campagne.py").run()
    assert not at.exception, at.exception
    assert not any("Profil de l'académie enregistré" in s.value for s in at.success)
    at.switch_page(PAGE).run()
    assert not any("Profil de l'académie enregistré" in s.value for s in at.success)

"""The step table is complete and coherent: states reachable, templates present, glossary total."""

from pathlib import Path

from forms.base import FormModel
from forms.vocabulaire import Etat, Role
from workflow import GLOSSAIRE
from workflow.etapes import ETAPES, diagramme_dot

RACINE = Path(__file__).resolve().parent.parent


def test_chaque_etat_est_atteignable_depuis_le_brouillon():
    atteints, frontiere = {Etat.BROUILLON}, [Etat.BROUILLON]
    while frontiere:
        etat = frontiere.pop()
        for e in ETAPES:
            if etat in e.depuis:
                for vers in e.vers:
                    if vers not in atteints:
                        atteints.add(vers)
                        frontiere.append(vers)
    assert atteints == set(Etat)


def test_chaque_etape_a_un_formulaire_des_acteurs_et_des_gabarits_existants():
    for e in ETAPES:
        assert issubclass(e.form, FormModel) and e.acteurs
        assert all(isinstance(r, Role) for r in e.acteurs)
        for g in e.gabarits:
            assert (RACINE / "templates_docx" / f"{g}.docx").exists()
        if e.sujet == "dossier":
            assert e.depuis, e.cle
        if len(e.vers) > 1:
            assert e.cible is not None


def test_les_cles_sont_uniques_et_les_numeros_couvrent_le_cycle():
    assert len({e.cle for e in ETAPES}) == len(ETAPES)
    assert {e.numero for e in ETAPES} == set(range(12))
    # Step 12, the renewal rule, is no action of its own: next year's committee decision checks last year's bilans,
    # and the next campaign opens (step 0) from the last one's settings.
    from workflow.etapes import ETAPES_PAR_CLE
    from workflow.noyau import regles

    assert regles.blocages_decision in ETAPES_PAR_CLE["decider"].gardes


def test_glossaire_couvre_etats_et_etapes_et_le_readme():
    manquants = [x for x in [*(e.value for e in Etat), *(e.cle for e in ETAPES)] if x not in GLOSSAIRE]
    assert manquants == []
    readme = (RACINE / "README.md").read_text()
    codes = {e.value for e in Etat} | {e.cle for e in ETAPES}
    assert [t for t in GLOSSAIRE if t not in codes and f"**{t}**" not in readme] == []


def test_diagramme_derive_du_tableau_en_francais():
    import re

    from tests.codes_internes import CODES

    dot = diagramme_dot()
    for e in ETAPES:
        if e.vers:
            assert f"{e.numero}. {e.libelle}" in dot
    libelles = re.findall(r'label="([^"]*)"', dot)
    morceaux = [m.strip(" ()") for texte in libelles for ligne in texte.split("\\n") for m in re.split(r"^\d+\. |, ", ligne)]
    assert morceaux and [m for m in morceaux if m in CODES or "_" in m] == []

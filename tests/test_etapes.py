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
    from workflow.selection import regles

    assert regles.blocages_decision in ETAPES_PAR_CLE["decider"].gardes


def test_glossaire_couvre_etats_et_etapes_et_le_readme():
    manquants = [x for x in [*(e.value for e in Etat), *(e.cle for e in ETAPES), "creer_dossier"] if x not in GLOSSAIRE]
    assert manquants == []
    # README's « Glossaire » is the rendering of GLOSSAIRE's other terms: the same terms and definitions, both ways.
    import re

    section = (RACINE / "README.md").read_text().split("## Glossaire", 1)[1]
    puces = re.findall(r"^- \*\*(.+?)\*\* — (.+?)(?=\n- |\n\n)", section, flags=re.M | re.S)
    codes = {e.value for e in Etat} | {e.cle for e in ETAPES} | {"creer_dossier"}  # the operation that opens a history
    assert {t: " ".join(d.split()) for t, d in puces} == {t: d for t, d in GLOSSAIRE.items() if t not in codes}


def test_diagramme_derive_du_tableau_en_francais():
    import re

    from tests.support.codes_internes import CODES

    dot = diagramme_dot()
    for e in ETAPES:
        if e.vers:
            assert f"{e.numero}. {e.libelle}" in dot
    libelles = re.findall(r'label="([^"]*)"', dot)
    morceaux = [m.strip(" ()") for texte in libelles for ligne in texte.split("\\n") for m in re.split(r"^\d+\. |, ", ligne)]
    assert morceaux and [m for m in morceaux if m in CODES or "_" in m] == []


def _phase(fonction) -> str:
    """« selection » for workflow.selection.actions.deposer; « noyau » for the core's."""
    return fonction.__module__.split(".")[1]


def test_chaque_ligne_porte_son_comportement_dans_sa_phase():
    """The table is the only registry of behaviour: each row does something (an action, documents or a change of
    state), its callables are its own phase's or the core's, and a form printing the vacation rate gets today's."""
    from workflow.atelier import etapes as atelier
    from workflow.cloture import etapes as cloture
    from workflow.noyau.taux import avec_taux_du_jour
    from workflow.selection import etapes as selection

    phases = {e.cle: module.__name__.split(".")[1] for module in (selection, atelier, cloture) for e in module.ETAPES}
    assert set(phases) == {e.cle for e in ETAPES}
    for e in ETAPES:
        assert e.action or e.gabarits or e.vers, f"{e.cle} ne fait rien"
        fonctions = [f for f in (e.action, e.charger, *e.completer, *e.gardes) if f is not None]
        assert all(callable(f) for f in fonctions)
        assert {_phase(f) for f in fonctions} <= {phases[e.cle], "noyau"}, e.cle
        assert ("taux_horaire" in e.form.model_fields) == (avec_taux_du_jour in e.completer), e.cle
        assert e.charger is None or e.sujet == "dossier", e.cle  # a campaign step has no dossier to load from


def test_une_ligne_ajoutee_est_prise_partout(demo, acteurs, monkeypatch):
    """Adding a step is one row: navigation (the dossier page's steps), permissions, reminders, the diagram, the
    engine and the template contract pick it up without any other edit."""
    from sqlmodel import select

    from db.models import Campagne, Dossier, Transition
    from demarrage.demo import ECOLE_PORTEUR
    from forms.atelier import ServiceFaitForm
    from forms.selection import MotifForm
    from tests.documents.test_documents import ecarts_de_contrat
    from workflow import echeances, etapes, services
    from workflow.consultation import dossier_detail
    from workflow.noyau.etape import Etape
    from workflow.noyau.regles import limite_de_depot

    ecrits = []
    nouvelle = Etape("verifier_exemple", 1, "Vérifier l'exemple", "dossier", (Role.PORTEUR,), MotifForm, (),
                     (Etat.BROUILLON,), (Etat.DEPOSE,), echeance="date_limite_depot", donnees_personnelles=True,
                     action=lambda x: ecrits.append(x.form.motif))
    monkeypatch.setattr(etapes, "ETAPES", (*etapes.ETAPES, nouvelle))
    monkeypatch.setitem(etapes.ETAPES_PAR_CLE, nouvelle.cle, nouvelle)

    porteur = acteurs["porteur"]
    dossier = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).first()
    assert dossier.etat == Etat.BROUILLON
    assert nouvelle in etapes.etapes_possibles(Role.PORTEUR, Etat.BROUILLON)
    assert nouvelle in dossier_detail(demo, porteur, dossier.id).etapes  # what the dossier page offers her
    assert nouvelle not in etapes.etapes_possibles(Role.DSDEN, Etat.BROUILLON)
    assert etapes.peut(porteur, "verifier_exemple", Etat.BROUILLON)  # what a page asks before offering it
    assert nouvelle in echeances.etapes_a_echeance()
    campagne = demo.get(Campagne, dossier.campagne_id)
    assert echeances.echeance_de(nouvelle, campagne) == limite_de_depot(campagne)  # reopened filing moves it too
    assert "1. Vérifier l'exemple" in etapes.diagramme_dot()
    assert etapes.libelle_etape("verifier_exemple") == "Vérifier l'exemple"

    res = services.executer(demo, porteur, "verifier_exemple", dossier_id=dossier.id, version=dossier.version,
                            donnees={"motif": "Exemple vérifié"})
    assert (res.etat, ecrits) == (Etat.DEPOSE, ["Exemple vérifié"])
    (transition,) = demo.exec(select(Transition).where(Transition.etape == "verifier_exemple"))
    assert transition.donnees == {}  # personal data: not copied into the history

    # The template contract: a row printing a form's fields with another form's template is caught.
    assert ecarts_de_contrat(etapes.ETAPES_PAR_CLE["certifier_service_fait"]) == []
    mal_faite = Etape("mal_faite", 9, "Mal faite", "dossier", (Role.PORTEUR,), MotifForm, ("etat_service_fait",),
                      (Etat.EN_COURS,))
    assert ecarts_de_contrat(mal_faite) and ServiceFaitForm

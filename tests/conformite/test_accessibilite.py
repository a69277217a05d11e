"""The audit's summary and the statement written from it: generated visits against an independent count."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from conformite import accessibilite, declaration
from conformite.accessibilite import IMPACTS, Visite
from conformite.editeur import Editeur

REGLES = [f"regle-{i}" for i in range(8)]
visite = st.builds(
    lambda role, page, respectees, violees: Visite(role, page, frozenset(r for r in respectees if r not in violees),
                                                   violees, {r: f"aide de {r}" for r in violees}),
    st.sampled_from(["Porteur", "DAEPS", "public"]), st.sampled_from(["Accueil", "Séances", "Carte"]),
    st.sets(st.sampled_from(REGLES)), st.dictionaries(st.sampled_from(REGLES), st.sampled_from(IMPACTS), max_size=3))


@given(st.lists(visite, max_size=12))
def test_le_taux_compte_les_regles_respectees_partout(visites):
    audit = accessibilite.synthese(visites, "2026-12-06", "axe-core 4.14.1")
    applicables = {r for v in visites for r in (*v.respectees, *v.violees)}
    violees = {r for v in visites for r in v.violees}
    assert set(audit.regles_applicables) == applicables
    assert set(audit.regles_respectees) == applicables - violees
    attendu = Decimal(100) if not applicables else Decimal(100 * len(applicables - violees)) / len(applicables)
    assert abs(audit.taux - attendu) <= Decimal("0.05")
    for m in audit.manquements:  # the gravest impact seen, on every page where it failed
        impacts = [v.violees[m.regle] for v in visites if m.regle in v.violees]
        assert m.impact == min(impacts, key=IMPACTS.index)
        assert len(m.pages) == len(impacts)
    assert {m.regle for m in audit.bloquants()} == {r for v in visites for r, i in v.violees.items()
                                                    if i in ("critical", "serious")}
    assert accessibilite.depuis_json(audit.en_json()) == audit


def test_la_declaration_imprime_les_chiffres_de_l_audit():
    visites = [Visite("Porteur", "Accueil", frozenset({"a", "b", "c"}), {"d": "moderate"}, {"d": "Les repères"}),
               Visite("public", "Carte", frozenset({"a"}), {}, {})]
    audit = accessibilite.synthese(visites, "2026-12-06", "axe-core 4.14.1")
    texte = "\n".join(p for s in declaration.declaration(audit, Editeur("Toulouse", "Toulouse", "dos5@ac-toulouse.fr",
                                                                        "dpd@ac-toulouse.fr"), "https://oepre")
                      for p in (s.titre, *s.paragraphes))
    assert "**75 %**" in texte and "(3 sur 4)" in texte and "porté sur 2 pages" in texte
    assert "Les repères (règle `d`, impact modéré, 1 page(s))" in texte
    assert "partiellement conforme" in texte and "06/12/2026" in texte and "dos5@ac-toulouse.fr" in texte
    assert "Défenseur des droits" in texte


def test_sans_audit_ou_sous_la_moitie_le_service_est_non_conforme():
    assert declaration.etat_de_conformite(None) == "non conforme"
    moitie = accessibilite.synthese([Visite("p", "x", frozenset({"a"}), {"b": "minor", "c": "minor"}, {})], "2026-12-06", "")
    assert moitie.taux < 50 and declaration.etat_de_conformite(moitie) == "non conforme"


def test_l_audit_garde_avec_le_code_se_relit():
    audit = accessibilite.dernier_audit()
    assert audit is not None and audit.pages > 0 and audit.regles_applicables
    assert audit.bloquants() == []

"""Issue 18 item 4: the register entry says every field the forms collect and every column the tables hold, who reads
them and for how long; the Interior reads aggregates only."""

import io

from docx import Document

from conformite import donnees_personnelles as dp
from conformite.editeur import Editeur
from conformite.registre import fiche_du_registre
from db.models import Auditeur
from forms.atelier import InscriptionForm
from forms.vocabulaire import Role
from infra.settings import Settings

EDITEUR = Editeur("Toulouse", "Toulouse", "dos5@ac-toulouse.fr", "dpd@ac-toulouse.fr")


def _texte(octets: bytes) -> str:
    doc = Document(io.BytesIO(octets))
    morceaux = [p.text for p in doc.paragraphs]
    morceaux += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(morceaux)


def test_la_fiche_dit_chaque_champ_chaque_colonne_et_la_duree_configuree():
    texte = _texte(fiche_du_registre(EDITEUR, Settings(conservation_mois=18), "06/12/2026"))
    for categorie in dp.CATEGORIES:
        assert categorie.personnes in texte
        for champ in categorie.champs():
            assert champ in texte
        for table in categorie.tables:
            assert all(colonne in texte for colonne in dp.colonnes(table))
    assert "puis 18 mois" in texte and "dpd@ac-toulouse.fr" in texte and "Aucun" in texte


def test_un_champ_ajoute_a_la_fiche_d_inscription_entre_au_registre():
    """Stated once: the register reads the form and the table, not a list written beside them."""
    parents = dp.CATEGORIES[0]
    assert InscriptionForm.model_fields["pays_origine"].title in parents.champs()
    assert "pays_origine" in dp.colonnes(Auditeur)


def test_l_interieur_ne_lit_aucune_donnee_nominative():
    for categorie in dp.CATEGORIES:
        assert Role.INTERIEUR not in categorie.lecteurs
    assert Role.INTERIEUR in dp.DESTINATAIRES_AGREGATS

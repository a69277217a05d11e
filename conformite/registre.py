"""The entry of the « registre des activités de traitement » (article 30 of the RGPD) for the service, written from
conformite.donnees_personnelles (the forms' fields, the tables' columns, the access sets) and the settings: a DOCX the
académie's DPD files in its register."""

import io

from docx import Document
from docx.shared import Pt

from conformite import donnees_personnelles as dp
from conformite.editeur import Editeur
from forms.vocabulaire import Role
from infra.settings import Settings


def _tableau(doc, lignes: list[tuple[str, str]]) -> None:
    tableau = doc.add_table(rows=0, cols=2)
    tableau.style = "Table Grid"
    for intitule, valeur in lignes:
        cellules = tableau.add_row().cells
        cellules[0].text, cellules[1].text = intitule, valeur
        for run in cellules[0].paragraphs[0].runs:
            run.bold = True


def fiche_du_registre(editeur: Editeur, reglages: Settings, date_du_jour: str) -> bytes:
    doc = Document()
    doc.core_properties.title = "Registre des activités de traitement — OEPRE"
    doc.core_properties.language = "fr-FR"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading("Registre des activités de traitement (article 30 du RGPD)", level=1)
    doc.add_paragraph(f"Fiche du traitement « OEPRE — Ouvrir l'École aux parents », établie le {date_du_jour} "
                      "par le service à partir de ses formulaires, de ses tables et de ses règles d'accès.")
    doc.add_heading("Responsable et délégué", level=2)
    responsable = editeur.responsable_du_traitement
    _tableau(doc, [("Responsable du traitement", responsable[0].upper() + responsable[1:]),
                   ("Délégué à la protection des données", editeur.dpd),
                   ("Service en charge", editeur.contact or editeur.rectorat)])
    doc.add_heading("Finalité et base légale", level=2)
    _tableau(doc, [("Finalité", dp.FINALITE), ("Base légale", dp.BASE_LEGALE)])
    doc.add_heading("Personnes concernées, données, destinataires, durées", level=2)
    for categorie in dp.CATEGORIES:
        doc.add_heading(categorie.personnes, level=3)
        _tableau(doc, [
            ("Données collectées", " ; ".join(categorie.champs())),
            ("Données détenues (tables et colonnes)",
             " ; ".join(f"{t.__tablename__} ({', '.join(dp.colonnes(t))})" for t in categorie.tables)),
            ("Personnes habilitées", " ; ".join(categorie.lecteurs_fr()) + ", chacune dans son périmètre"),
            ("Durée de conservation", categorie.duree(reglages)),
            *((("Remarque", categorie.remarque),) if categorie.remarque else ()),
        ])
    doc.add_heading("Destinataires extérieurs et transferts", level=2)
    _tableau(doc, [("Destinataires de données agrégées", " ; ".join(Role(r).libelle for r in dp.DESTINATAIRES_AGREGATS)
                    + " : effectifs, heures, montants, jamais un nom"),
                   ("Transferts hors de l'Union européenne", "Aucun")])
    doc.add_heading("Mesures de sécurité", level=2)
    for mesure in dp.MESURES_DE_SECURITE:
        doc.add_paragraph(mesure, style="List Bullet")
    doc.add_heading("Droits des personnes", level=2)
    doc.add_paragraph(dp.DROITS)
    flux = io.BytesIO()
    doc.save(flux)
    return flux.getvalue()

"""An académie's own templates (issue 17, items 1 and 2): the DAEPS (or the administrator) uploads a DOCX for a
document type; it is checked (documents.verification) against the placeholders that type may use, filled with the
sample data and previewed; then published. The last published version is in force for the académie's next documents
(workflow.noyau.modeles); a previous one, or the built-in template, can be put back in force as a new version, the
history kept. The placeholder catalogue of each type is derived from its step's form and the shared context
(documents.variables), never written twice."""

import io
import secrets
from dataclasses import dataclass
from datetime import datetime

from docx import Document as LireDocx
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import ModeleDocument, Utilisateur, maintenant
from documents import apercu, pdf, render, stockage, tableur
from documents.catalogue import libelle_document, obligatoires
from documents.variables import Filtre, Variable, a_plat, filtres, variables
from documents.verification import verifier_modele
from forms.base import ErreursSaisie, valider
from forms.contexte import ContexteCommun
from forms.exemples import exemple
from forms.vocabulaire import EtatModele, Role
from infra.settings import get_settings
from workflow.etapes import ETAPES
from workflow.noyau.etape import Etape
from workflow.noyau.modeles import contenu_du_modele, version_en_vigueur
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur, exiger_role
from workflow.noyau.profil import academie_de

REDACTEURS = (Role.DAEPS, Role.ADMIN)  # who uploads, publishes and restores an académie's templates
PAGES_APERCU = 3
INTEGRE = "Modèle intégré à l'application"
TOUS_LES_DOCUMENTS = "Tous les documents (contexte commun)"


# --- The placeholder catalogue ---------------------------------------------------------------------


def types_de_document() -> list[str]:
    """Every document type a template can be uploaded for, in the order of the step table."""
    return list(dict.fromkeys(g for e in ETAPES for g in e.gabarits))


def _etapes(type_document: str) -> list[Etape]:
    etapes = [e for e in ETAPES if type_document in e.gabarits]
    if not etapes:
        raise ErreursSaisie([f"« {type_document} » n'est pas un type de document de l'application."])
    return etapes


def _imprimes(form) -> set[str]:
    """The fields a document may print: all but those that only designate a record (forms.base.designation)."""
    return {n for n, i in form.model_fields.items() if not (i.json_schema_extra or {}).get("designation")} | set(
        form.model_computed_fields)


def donnees_exemple(type_document: str) -> dict:
    """The sample data a template of that type is previewed with: the shared context's and its step's form's examples
    (forms.exemples), validated by the form as a person's input would be."""
    form = _etapes(type_document)[0].form
    commun = ContexteCommun(**exemple(ContexteCommun, lisible=True))
    return commun.model_dump() | valider(form, exemple(form, lisible=True)).model_dump()


def catalogue(type_document: str) -> dict[str, Variable]:
    """Every variable a template of that type may use: the shared context's, then its step's form's (those every step
    rendering it provides: a fiche is printed at enrolment and at correction)."""
    etapes = _etapes(type_document)
    exemples = donnees_exemple(type_document)
    communs = set.intersection(*(_imprimes(e.form) for e in etapes))
    return variables(ContexteCommun, exemples) | variables(etapes[0].form, exemples, imprimes=communs)


@dataclass(frozen=True)
class LigneCatalogue:
    chemin: str
    description: str
    type: str
    exemple: str
    obligatoire: bool
    commune: bool  # from the shared context (every document has it)


def catalogue_a_plat(type_document: str, *, communes: bool = True) -> list[LigneCatalogue]:
    """The catalogue as a table: one line per variable, nested ones after their parent, required ones marked; without
    `communes`, only the document's own (those of the shared context are listed once, under « Tous les documents »)."""
    requis = obligatoires(type_document)
    commun = set(ContexteCommun.model_fields)
    lignes = [LigneCatalogue(v.chemin, v.description, v.type, v.exemple, v.chemin in requis,
                             v.chemin.split(".")[0].split("[")[0] in commun) for v in a_plat(catalogue(type_document))]
    return [ligne for ligne in lignes if communes or not ligne.commune]


def ecriture(ligne: LigneCatalogue) -> str:
    """How a template writes it: « {{ parent_nom }} »; a list's item field « {{ g.libelle }} — dans {% for g in groupes %} »
    (each list level walked by a loop whose name is the list's initial); a list « {% for g in groupes %} … »; a record by
    its fields."""
    *listes, champ = ligne.chemin.split("[].")
    noms = [liste.rsplit(".", 1)[-1][0] for liste in listes]
    sources = [*listes[:1], *(f"{noms[k - 1]}.{listes[k]}" for k in range(1, len(listes)))]
    chemin = f"{noms[-1]}.{champ}" if listes else champ
    dans = f" — dans {{% for {noms[-1]} in {sources[-1]} %}}" if listes else ""
    if ligne.type == "fiche":
        return f"{chemin}.… (une fiche : ses champs suivent){dans}"
    if ligne.type == "liste d'éléments":
        return f"{{% for {champ[0]} in {chemin} %}} … {{% endfor %}}{dans}"
    return "{{ " + chemin + " }}" + dans


def _sections(types: list[str]) -> list[tuple[str, list[LigneCatalogue]]]:
    """(title, lines): the shared context once, then each type's own variables."""
    communes = [ligne for ligne in catalogue_a_plat(types[0]) if ligne.commune]
    return [(TOUS_LES_DOCUMENTS, communes)] + [(libelle_document(t), catalogue_a_plat(t, communes=False)) for t in types]


def filtres_disponibles() -> list[Filtre]:
    return filtres()


COLONNES_CATALOGUE = ("Document", "Variable", "Description", "Type", "Exemple", "Obligatoire")


def catalogue_csv(types: list[str] | None = None) -> bytes:
    """The catalogue of the given types (all by default) as a CSV a spreadsheet opens (UTF-8 with BOM, « ; »)."""
    sortie = io.StringIO()
    ecrivain = tableur.EcrivainCsv(sortie, delimiter=";")
    ecrivain.writerow(COLONNES_CATALOGUE)
    ecrivain.writerows((titre, ecriture(ligne), ligne.description, ligne.type, ligne.exemple,
                        "oui" if ligne.obligatoire else "")
                       for titre, lignes in _sections(types or types_de_document()) for ligne in lignes)
    ecrivain.writerow(())
    ecrivain.writerow(("Filtre", "Écriture", "Ce qu'il imprime", "Exemple"))
    ecrivain.writerows((f.nom, f.ecriture, f.description, f.exemple) for f in filtres())
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def catalogue_docx(types: list[str] | None = None) -> bytes:
    """The catalogue as a Word document for whoever writes templates: how to write a placeholder, then per document
    type its variables (the list's items after the list), then the filters."""
    document = LireDocx()
    document.core_properties.title = "Catalogue des variables des modèles de documents"
    document.core_properties.language = "fr-FR"
    document.add_heading("Catalogue des variables des modèles de documents", level=0)
    document.add_paragraph("Une variable s'écrit entre doubles accolades : {{ parent_nom }}. Un filtre la met en forme : "
                           "{{ date_debut|date_fr }}. Une liste se parcourt : {%tr for c in contacts %} dans une ligne de "
                           "tableau, {{ c.nom }} dans la ligne suivante, {%tr endfor %} dans la dernière ; une condition : "
                           "{%p if assiduite %} … {%p endif %}, chacune seule dans son paragraphe. Les variables marquées "
                           "« obligatoire » doivent figurer dans le modèle.")
    for section, lignes in _sections(types or types_de_document()):
        document.add_heading(section, level=1)
        tableau = document.add_table(rows=1, cols=4)
        tableau.style = "Table Grid"
        for cellule, titre in zip(tableau.rows[0].cells, ("Variable", "Description", "Type", "Exemple"), strict=True):
            cellule.text = titre
        for ligne in lignes:
            cellules = tableau.add_row().cells
            cellules[0].text = ecriture(ligne)
            cellules[1].text = ligne.description + (" (obligatoire)" if ligne.obligatoire else "")
            cellules[2].text, cellules[3].text = ligne.type, ligne.exemple
    document.add_heading("Filtres", level=1)
    tableau = document.add_table(rows=1, cols=3)
    tableau.style = "Table Grid"
    for cellule, titre in zip(tableau.rows[0].cells, ("Écriture", "Ce qu'il imprime", "Exemple"), strict=True):
        cellule.text = titre
    for f in filtres():
        cellules = tableau.add_row().cells
        cellules[0].text, cellules[1].text, cellules[2].text = f.ecriture, f.description, f.exemple
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


# --- Checking an upload ----------------------------------------------------------------------------


def verifier(type_document: str, nom: str, contenu: bytes) -> bytes:
    """The DOCX the template gives with the sample data, once every check passed; else ErreursSaisie (French)."""
    _etapes(type_document)
    verifier_modele(nom, contenu, catalogue(type_document), obligatoires(type_document))
    try:
        rendu = render.rendre(type_document, donnees_exemple(type_document), contenu)
        LireDocx(io.BytesIO(rendu))
    except render.ErreurRendu as exc:
        raise ErreursSaisie([f"« {nom} » : le modèle ne se remplit pas avec les données d'exemple ({exc})."]) from None
    except Exception:  # the filled document is not a valid DOCX: a tag that cut Word's XML in two
        raise ErreursSaisie([f"« {nom} » : une fois rempli, le document n'est plus un document Word valide ; une balise "
                             "coupe sans doute un tableau ou un paragraphe en deux (placez {%tr %} seule dans une ligne, "
                             "{%p %} seule dans un paragraphe)."]) from None
    return rendu


def apercu_pages(docx: bytes, pages: int = PAGES_APERCU) -> list[bytes] | None:
    """PNG images of the first pages of a filled DOCX, through LibreOffice and poppler; None without poppler."""
    reglages = get_settings()
    contenu = pdf.docx_vers_pdf(docx, mode=reglages.conversion, soffice=reglages.soffice, travail=reglages.travail_dir)
    return apercu.premieres_pages_png(contenu, pages=pages)


# --- Versions ---------------------------------------------------------------------------------------


def _academie(acteur: Acteur) -> str:
    exiger_role(acteur, REDACTEURS, "Modèles de documents")
    return academie_de(acteur)


def _de_l_academie(session: Session, acteur: Acteur, modele_id: int) -> ModeleDocument:
    modele = session.get(ModeleDocument, modele_id)
    if modele is None or modele.academie_code != _academie(acteur):
        raise AccesRefuse("Ce modèle n'existe pas dans votre académie.")
    return modele


def _version_suivante(session: Session, academie: str, type_document: str) -> int:
    return (session.exec(select(func.max(ModeleDocument.version)).where(
        ModeleDocument.academie_code == academie, ModeleDocument.type_document == type_document)).one() or 0) + 1


@operation("deposer_modele", "Déposer un modèle de document", REDACTEURS)
def deposer_modele(ecriture: Ecriture, *, type_document: str, nom: str, contenu: bytes) -> int:
    """Check the uploaded DOCX and keep it as a draft of the académie's next version; its id."""
    session, acteur = ecriture.session, ecriture.acteur
    academie = _academie(acteur)
    verifier(type_document, nom, contenu)
    # One writer at a time per académie and type: the next version number is read under that lock.
    version = _version_suivante(session, academie, type_document)
    relatif = f"modeles/{academie}/{type_document}-v{version}-{secrets.token_hex(4)}.docx"
    modele = ModeleDocument(academie_code=academie, type_document=type_document, version=version,
                            etat=EtatModele.BROUILLON.value, nom_fichier=nom[:200], chemin=relatif,
                            sha256=stockage.sha256(contenu), taille=len(contenu), depose_par_id=acteur.id)
    session.add(modele)
    session.flush()
    ecriture.ecrits.append(stockage.depot().ecrire(relatif, contenu))
    ecriture.journaliser(f"modele:{modele.id}", type_document=type_document, version=version, sha256=modele.sha256)
    return modele.id


@operation("publier_modele", "Publier un modèle de document", REDACTEURS)
def publier_modele(ecriture: Ecriture, *, modele_id: int) -> None:
    """Put a draft in force: the académie's next documents of its type are rendered with it."""
    modele = _de_l_academie(ecriture.session, ecriture.acteur, modele_id)
    if modele.etat != EtatModele.BROUILLON.value:
        raise ErreursSaisie([f"La version {modele.version} est déjà publiée ; pour la remettre en vigueur, restaurez-la."])
    modele.etat, modele.publie_par_id, modele.publie_at = EtatModele.PUBLIE.value, ecriture.acteur.id, maintenant()
    ecriture.session.add(modele)
    ecriture.journaliser(f"modele:{modele.id}", type_document=modele.type_document, version=modele.version)


@operation("restaurer_modele", "Restaurer un modèle de document", REDACTEURS)
def restaurer_modele(ecriture: Ecriture, *, type_document: str, modele_id: int | None = None) -> int:
    """Put back in force a version published before (`modele_id`), or the built-in template (None), as a new
    published version: the history stays as it was. Its id."""
    session, acteur = ecriture.session, ecriture.acteur
    academie = _academie(acteur)
    _etapes(type_document)
    ancien = _de_l_academie(session, acteur, modele_id) if modele_id is not None else None
    if ancien is not None and (ancien.type_document != type_document or ancien.etat != EtatModele.PUBLIE.value):
        raise ErreursSaisie(["Seule une version déjà publiée de ce document peut être restaurée ; un brouillon se publie."])
    instant = maintenant()
    modele = ModeleDocument(academie_code=academie, type_document=type_document,
                            version=_version_suivante(session, academie, type_document), etat=EtatModele.PUBLIE.value,
                            nom_fichier=ancien.nom_fichier if ancien else INTEGRE, chemin=ancien.chemin if ancien else None,
                            sha256=ancien.sha256 if ancien else None, taille=ancien.taille if ancien else 0,
                            restaure_de_id=ancien.id if ancien else None, depose_par_id=acteur.id, depose_at=instant,
                            publie_par_id=acteur.id, publie_at=instant)
    session.add(modele)
    session.flush()
    ecriture.journaliser(f"modele:{modele.id}", type_document=type_document, version=modele.version,
                         restaure=ancien.version if ancien else "intégré")
    return modele.id


@dataclass(frozen=True)
class LigneModele:
    id: int
    version: int
    etat: EtatModele
    nom_fichier: str
    integre: bool  # the built-in template put back in force
    depose_par: str
    depose_at: datetime
    publie_par: str
    publie_at: datetime | None
    en_vigueur: bool
    restaure_de: int | None  # the version it put back


def historique(session: Session, acteur: Acteur, type_document: str) -> list[LigneModele]:
    """The académie's versions of that type, the last first, the one in force marked."""
    academie = _academie(acteur)
    lignes = session.exec(select(ModeleDocument).where(ModeleDocument.academie_code == academie,
                                                       ModeleDocument.type_document == type_document)
                          .order_by(ModeleDocument.version.desc())).all()
    en_vigueur = version_en_vigueur(session, academie, type_document)
    noms = {u.id: u.nom_affiche for u in session.exec(select(Utilisateur).where(
        Utilisateur.id.in_({m.depose_par_id for m in lignes} | {m.publie_par_id for m in lignes})))}
    versions = {m.id: m.version for m in lignes}
    return [LigneModele(m.id, m.version, EtatModele(m.etat), m.nom_fichier, m.chemin is None, noms.get(m.depose_par_id, "—"),
                        m.depose_at, noms.get(m.publie_par_id, "—"), m.publie_at, en_vigueur is not None and m.id == en_vigueur.id,
                        versions.get(m.restaure_de_id)) for m in lignes]


def fichier_modele(session: Session, acteur: Acteur, type_document: str, modele_id: int | None = None) -> tuple[str, bytes]:
    """(file name, DOCX) of a version of the académie, or of the built-in template (None)."""
    _academie(acteur)
    _etapes(type_document)
    modele = _de_l_academie(session, acteur, modele_id) if modele_id is not None else None
    if modele is None or modele.chemin is None:
        return f"{type_document}-modele-integre.docx", render.octets_gabarit_integre(type_document)
    return f"{type_document}-v{modele.version}.docx", contenu_du_modele(modele)


def libelle_type(type_document: str) -> str:
    return libelle_document(type_document)


def apercu_modele(session: Session, acteur: Acteur, type_document: str, modele_id: int | None = None) -> list[bytes] | None:
    """The first pages, as PNG images, of a version (or of the built-in template) filled with the sample data."""
    _, contenu = fichier_modele(session, acteur, type_document, modele_id)
    integre = modele_id is None or session.get(ModeleDocument, modele_id).chemin is None
    return apercu_pages(render.rendre(type_document, donnees_exemple(type_document), None if integre else contenu))

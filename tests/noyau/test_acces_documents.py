"""Every read of a stored document, attacked from every side: roles × document types × own/other scope ×
every read path (list of a dossier, dossier page, list of the campaign, review list, download of the DOCX
and of the PDF, preview, ZIP). The expected answer comes from the table below, written from the rules
(spec §3.3 scopes, §10 rule 4 and the booklet's committee), never from the code under test.

No e-mail carries a document: the outbox sends plain text only (tested in test_notifications), so the
e-mail path has no document to leak."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlmodel import select

from db.models import Campagne, Document, Dossier, Engagement, Intervenant, JournalAudit, Utilisateur
from demarrage.demo import COLLEGE_DU_TARN, ECOLE_PORTEUR
from forms.vocabulaire import Role
from workflow import consultation, revue
from workflow.atelier.signes import SIGNABLES
from workflow.etapes import ETAPES
from workflow.noyau import moteur, requetes
from workflow.noyau.permissions import AccesRefuse, Acteur

# --- The rules, written out -------------------------------------------------------------------------------
# Who reads a document that names parents (spec §10 rule 4: the school, its engaged intervenants, the DSDEN);
# the paying service also reads the attendance sheets (its evidence of service fait), the DAEPS the
# attestations (it prints the académie's batch).
PARENTS = {"porteur", "intervenant", "dsden"}
LECTEURS_NOMINATIFS = {
    "fiche_inscription": PARENTS,
    "liste_auditeurs": PARENTS,
    "feuille_emargement": PARENTS | {"gestionnaire"},
    "emargement_signe": PARENTS | {"gestionnaire"},
    "emargement_mensuel": PARENTS | {"gestionnaire"},
    "attestation": PARENTS | {"daeps"},
    "attestations_lot": PARENTS | {"daeps"},
}
# The steering committee (booklet: CT-EVS, CASNAV, DAEPS, a representative of the Intérieur) reads its
# procès-verbal, as do the admin and the DSDEN; the call for projects is public.
LECTEURS_PV = {"pilote", "comite", "casnav", "daeps", "interieur", "admin", "dsden"}


@dataclass(frozen=True)
class Profil:
    nom: str  # the role's name in the tables above
    acteur: Acteur

    def couvre(self, dossier: str) -> bool:
        """Spec §3.3: is dossier « A » (school 31 9101, Haute-Garonne) or « B » (Tarn) in this actor's scope?
        The intervenant is engaged on A and only listed in B's application."""
        match self.nom:
            case "porteur" | "intervenant" | "gestionnaire" | "dsden":
                return dossier == "A"
            case "interieur":
                return False  # aggregates only: no dossier
            case _:
                return True  # académie-wide roles


def profils(intervenant_id: int) -> list[Profil]:
    return [
        Profil("porteur", Acteur(101, Role.PORTEUR, "Directrice", uai=ECOLE_PORTEUR)),
        Profil("intervenant", Acteur(102, Role.INTERVENANT, "Intervenante", intervenant_id=intervenant_id)),
        Profil("gestionnaire", Acteur(103, Role.GESTIONNAIRE, "Gestionnaire de l'école", uai=ECOLE_PORTEUR)),
        Profil("gestionnaire", Acteur(104, Role.GESTIONNAIRE, "Service de paie de la DSDEN 31", departement="31")),
        Profil("dsden", Acteur(105, Role.DSDEN, "DSDEN 31", departement="31")),
        *(Profil(r.value, Acteur(110 + i, r, r.value)) for i, r in enumerate(
            (Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.ADMIN, Role.INTERIEUR))),
    ]


def attendu(profil: Profil, type_document: str, ou: str) -> bool:
    """`ou`: « A », « B » (a dossier), « campagne », « departement:31 » or « departement:81 » (a batch)."""
    lecteurs = LECTEURS_NOMINATIFS.get(type_document)
    if lecteurs is not None and profil.nom not in lecteurs:
        return False
    if ou in ("A", "B"):
        return profil.couvre(ou)
    if type_document == "lettre_appel_a_projets":
        return True
    if type_document == "proces_verbal":
        return profil.nom in LECTEURS_PV
    # a batch of attestations: the académie's for the DAEPS, a département's for it and that DSDEN
    return profil.nom == "daeps" or (ou == "departement:31" and profil.nom == "dsden")


# --- Every stored document there can be -------------------------------------------------------------------
TYPES_DE_DOSSIER = sorted({g for e in ETAPES if e.sujet == "dossier" for g in e.gabarits} | {"emargement_signe", "attestations_lot"})
DOCUMENTS_DE_CAMPAGNE = [("lettre_appel_a_projets", "campagne"), ("proces_verbal", "campagne"),
                         ("attestations_lot", "campagne"), ("attestations_lot", "departement:31"),
                         ("attestations_lot", "departement:81")]


def test_la_table_des_regles_couvre_chaque_document_qui_nomme_des_parents():
    """A step holding parents' data produces only documents the table above restricts."""
    for etape in ETAPES:
        if etape.donnees_personnelles:
            assert set(etape.gabarits) <= set(LECTEURS_NOMINATIFS), etape.cle
    assert {e.gabarits[0] for e in ETAPES if e.sujet == "campagne" and e.gabarits} <= {t for t, _ in DOCUMENTS_DE_CAMPAGNE}


def _pdf() -> bytes:
    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    return tampon.getvalue()


@pytest.fixture
def stock(demo, acteurs):
    """Each document type in a DOCX and a PDF, for dossier A (Haute-Garonne) and dossier B (Tarn), plus the
    campaign's documents; the intervenant engaged on A and only listed in B. Returns (documents, intervenant)."""
    a = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    b = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    campagne = demo.get(Campagne, a.campagne_id)
    personne = Intervenant(nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", employeur_principal="EN")
    demo.add(personne)
    demo.flush()
    demo.add(Engagement(intervenant_id=personne.id, dossier_id=a.id, engage=True))
    demo.add(Engagement(intervenant_id=personne.id, dossier_id=b.id, engage=False))
    for profil in profils(personne.id):  # accounts behind the actors, for the audit log
        demo.add(Utilisateur(id=profil.acteur.id, identifiant=f"compte{profil.acteur.id}@ac-toulouse.fr",
                             nom_affiche=profil.acteur.nom, role=profil.acteur.role.value, mot_de_passe_hash="-"))
    contenus = {"docx": b"PK\x03\x04 document de test", "pdf": _pdf()}
    stock: list[tuple[Document, str]] = []
    ecrits: list = []
    for type_document in TYPES_DE_DOSSIER:
        for nom, dossier in (("A", a), ("B", b)):
            for fmt, contenu in contenus.items():
                stock.append((moteur.enregistrer_fichier(
                    demo, sujet=f"dossier:{dossier.id}", type_document=type_document, fmt=fmt, contenu=contenu, etape="test",
                    acteur=acteurs["pilote"], campagne=campagne, dossier=dossier, source_id=None, ecrits=ecrits), nom))
    # the scans « signés hors application » of the letters and états: new versions beside the generated DOCX
    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(jpeg, format="JPEG")
    for genere, nom in [(d, nom) for d, nom in stock if d.type_document in SIGNABLES and d.format == "docx"]:
        for fmt, contenu in (("pdf", _pdf()), ("jpg", jpeg.getvalue())):
            stock.append((moteur.enregistrer_fichier(
                demo, sujet=genere.sujet, type_document=genere.type_document, fmt=fmt, contenu=contenu, etape="test",
                acteur=acteurs["pilote"], campagne=campagne, dossier=demo.get(Dossier, genere.dossier_id), source_id=None,
                ecrits=ecrits, signe_de_id=genere.id), nom))
    assert len([d for d, _ in stock if d.signe_de_id]) == 2 * 2 * len(SIGNABLES)
    for type_document, ou in DOCUMENTS_DE_CAMPAGNE:
        sujet = f"campagne:{campagne.id}" + (f":{ou}" if ou != "campagne" else "")
        for fmt, contenu in contenus.items():
            stock.append((moteur.enregistrer_fichier(
                demo, sujet=sujet, type_document=type_document, fmt=fmt, contenu=contenu, etape="test",
                acteur=acteurs["pilote"], campagne=campagne, dossier=None, source_id=None, ecrits=ecrits), ou))
    demo.commit()
    return stock, personne.id


def _lit(fonction) -> bool:
    try:
        fonction()
    except AccesRefuse:
        return False
    return True


def _listes(session, acteur: Acteur, documents: list[Document]) -> dict[str, set[int]]:
    """The documents each list hands to the actor (a list refused as a whole hands none)."""
    def ids(lister) -> set[int]:
        try:
            return {d.id for d in lister()}
        except AccesRefuse:
            return set()

    campagne_id = documents[0].campagne_id
    dossiers = {d.dossier_id for d in documents if d.dossier_id is not None}
    return {
        "liste de la relecture": {x.document.id for x in revue.documents(session, acteur, campagne_id=campagne_id)},
        "liste de la campagne": ids(lambda: consultation.documents_campagne(session, acteur, campagne_id)),
        "liste du dossier": set().union(*(ids(lambda i=i: consultation.documents_du_dossier(session, acteur, i)) for i in dossiers)),
        "page du dossier": set().union(*(ids(lambda i=i: consultation.dossier_detail(session, acteur, i).documents) for i in dossiers)),
    }


def _chemins(session, acteur: Acteur, doc: Document, listes: dict[str, set[int]]) -> dict[str, bool]:
    """Whether each read path hands this document to the actor."""
    chemins = {
        "liste de la relecture": doc.id in listes["liste de la relecture"],
        "téléchargement": _lit(lambda: consultation.lire_document(session, acteur, doc.id)),
        "ZIP": _lit(lambda: revue.archive_zip(session, acteur, [doc.id])),
    }
    if doc.format == "pdf":  # the preview of a DOCX is « none » for everyone
        chemins["aperçu"] = _lit(lambda: revue.apercu(session, acteur, doc.id))
    for liste in (("liste de la campagne",) if doc.dossier_id is None else ("liste du dossier", "page du dossier")):
        chemins[liste] = doc.id in listes[liste]
    return chemins


@pytest.mark.parametrize("rang", range(len(profils(0))), ids=[f"{p.nom}-{p.acteur.nom}" for p in profils(0)])
def test_matrice_de_lecture_des_documents(demo, stock, rang):
    documents, intervenant_id = stock
    profil = profils(intervenant_id)[rang]
    listes = _listes(demo, profil.acteur, [d for d, _ in documents])
    ecarts = []
    for doc, ou in documents:
        voulu = attendu(profil, doc.type_document, ou)
        for chemin, obtenu in _chemins(demo, profil.acteur, doc, listes).items():
            if obtenu != voulu:
                scan = ", scan signé" if doc.signe_de_id else ""
                ecarts.append(f"{doc.type_document} ({ou}, {doc.format}{scan}) par « {chemin} » : "
                              f"{'lu' if obtenu else 'refusé'} au lieu de {'lu' if voulu else 'refusé'}")
    assert not ecarts, f"{len(ecarts)} écart(s) pour {profil.nom} :\n" + "\n".join(ecarts)


def test_un_zip_qui_contient_un_document_interdit_est_refuse_en_entier_et_journalise(demo, stock):
    documents, intervenant_id = stock
    interieur = next(p.acteur for p in profils(intervenant_id) if p.nom == "interieur")
    pv = next(d for d, ou in documents if d.type_document == "proces_verbal" and d.format == "pdf")
    lot = next(d for d, ou in documents if d.type_document == "attestations_lot" and ou == "campagne" and d.format == "pdf")
    assert revue.archive_zip(demo, interieur, [pv.id])[:2] == b"PK"
    with pytest.raises(AccesRefuse, match="nomme des parents"):
        revue.archive_zip(demo, interieur, [pv.id, lot.id])
    refus = demo.exec(select(JournalAudit).where(JournalAudit.action == "acces_refuse", JournalAudit.utilisateur_id == interieur.id)).all()
    assert [r.objet for r in refus] == [f"document:{lot.id}"]


def test_un_intervenant_seulement_cite_dans_la_candidature_ne_lit_pas_l_atelier(demo, stock):
    from workflow.atelier import vues

    _, intervenant_id = stock
    moi = Acteur(102, Role.INTERVENANT, "Intervenante", intervenant_id=intervenant_id)
    b = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    a = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    assert [d.id for d in requetes.dossiers_visibles(demo, moi)] == [a.id]
    for lecture in (vues.parents, vues.suivi, consultation.dossier_detail):
        with pytest.raises(AccesRefuse):
            lecture(demo, moi, b.id)
        assert lecture(demo, moi, a.id) is not None


def test_matrice_de_lecture_des_donnees_des_parents_hors_documents(demo, stock):
    """Every read of parents' data that is no document (the parents' list with their attendance, their diagnostic
    evaluations, a parent's record as the correction form starts from it), by every profile on both dossiers: read
    exactly by the roles of PARENTS, in their scope."""
    from datetime import date

    from db.models import Auditeur
    from workflow.atelier import corrections, vues

    _, intervenant_id = stock
    dossiers = {ou: demo.exec(select(Dossier).where((Dossier.uai == ECOLE_PORTEUR) == (ou == "A"))).one() for ou in "AB"}
    for d in dossiers.values():  # a parent whose record can be asked for, in each dossier
        demo.add(Auditeur(dossier_id=d.id, nom="Essai", prenom="Parent", langues=["Arabe"], date_inscription=date(2025, 11, 17)))
    demo.commit()
    un_parent = {d.id: demo.exec(select(Auditeur.id).where(Auditeur.dossier_id == d.id)).first() for d in dossiers.values()}

    def fiche_a_corriger(session, acteur, dossier_id):
        return corrections.parent_a_corriger(session, acteur, dossier_id, un_parent[dossier_id])

    ecarts = []
    for profil in profils(intervenant_id):
        for lecture in (vues.parents, vues.evaluations, fiche_a_corriger):
            for ou, dossier in dossiers.items():
                try:
                    lecture(demo, profil.acteur, dossier.id)
                    obtenu = True
                except AccesRefuse:
                    obtenu = False
                voulu = profil.nom in PARENTS and profil.couvre(ou)
                if obtenu != voulu:
                    ecarts.append(f"{profil.acteur.nom} — {lecture.__name__} de {ou} : {'lu' if obtenu else 'refusé'}")
    assert not ecarts, "\n".join(ecarts)

"""The engine: one way to apply any step of the table (workflow/etapes.py) — permission → form → state → completers →
guards → optimistic lock → the step's action → documents → history → one commit; PDFs after the commit.
It knows no phase: each step's row carries what it does (workflow.noyau.etape.Etape)."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlmodel import Session, select

from db.models import (
    Academie,
    Bilan,
    Campagne,
    Departement,
    Document,
    Dossier,
    Engagement,
    Etablissement,
    Transition,
    maintenant,
)
from documents import lot, pdf, render, stockage
from documents.catalogue import GABARITS, concerne, signataires
from forms.base import FormModel, annee_precedente, valider
from forms.contexte import ContexteCommun, DossierResume, EtablissementContexte
from forms.vocabulaire import FINANCES, Etat, TypeStructure
from infra.settings import aujourdhui, get_settings
from workflow.noyau import profil as profils
from workflow.noyau import regles, signatures
from workflow.noyau.etape import Etape, Execution
from workflow.noyau.modeles import modele_en_vigueur
from workflow.noyau.permissions import LECTURE_ACADEMIQUE, AccesRefuse, Acteur, exiger_perimetre, exiger_role
from workflow.noyau.regles import Blocage, Situation
from workflow.noyau.taux import taux_a_la_date
from workflow.noyau.transaction import ConflitEdition, refuser, transaction_et_fichiers


class EtapeRefusee(Exception):
    """The step's guards or the dossier's state refuse it; `blocages` holds the French reasons."""

    def __init__(self, blocages: list[Blocage]):
        super().__init__("\n".join(b.message for b in blocages))
        self.blocages = blocages


@dataclass
class Resultat:
    etat: Etat | None
    dossier_id: int | None
    campagne_id: int | None
    documents: list[int] = field(default_factory=list)
    avertissements: list[Blocage] = field(default_factory=list)
    erreur_pdf: str | None = None


def numero_dossier(campagne: Campagne, dossier: Dossier) -> str:
    """The dossier's number as printed and shown: year-département-sequence, e.g. 2025-031-0002."""
    return f"{campagne.annee_scolaire[:4]}-{dossier.uai[:3]}-{dossier.id:04d}"


# --- Loading and checking ----------------------------------------------------------------------


def dossiers_de_l_intervenant(intervenant_id: int):
    """The dossiers an intervenant is engaged on (spec §3.3, « ateliers assigned to them »): being listed in an
    application is not being engaged, and gives no access to the atelier or its parents."""
    return select(Engagement.dossier_id).where(Engagement.intervenant_id == intervenant_id, Engagement.engage.is_(True))


def charger_dossier(session: Session, acteur: Acteur, dossier_id: int) -> tuple[Dossier, Etablissement]:
    """The dossier if it is in the actor's scope; otherwise AccesRefuse, written to the audit log."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise AccesRefuse("Dossier introuvable.")
    etab = session.get(Etablissement, dossier.uai)
    engage = acteur.intervenant_id is not None and session.exec(
        dossiers_de_l_intervenant(acteur.intervenant_id).where(Engagement.dossier_id == dossier_id)).first() is not None
    try:
        exiger_perimetre(acteur, uai=dossier.uai, departement=etab.departement_code, intervenant_dossier=engage)
        if acteur.role in LECTURE_ACADEMIQUE and session.get(Campagne, dossier.campagne_id).academie_code != profils.academie_de(acteur):
            raise AccesRefuse("Accès refusé : ce dossier est celui d'une autre académie.")
    except AccesRefuse as refus:
        refuser(session, acteur, f"dossier:{dossier_id}", str(refus))
    return dossier, etab


def verrouiller(session: Session, dossier: Dossier, version_lue: int) -> None:
    """Optimistic lock in one UPDATE: it matches only if nobody wrote since `version_lue`."""
    res = session.exec(update(Dossier).where(Dossier.id == dossier.id, Dossier.version == version_lue)
                       .values(version=version_lue + 1, modifie_at=maintenant()))
    if res.rowcount != 1:
        session.rollback()
        raise ConflitEdition()
    session.refresh(dossier)


def bilans_annee_precedente(session: Session, campagne: Campagne, uai: str) -> set[str] | None:
    ancien = session.exec(select(Dossier).join(Campagne).where(
        Campagne.annee_scolaire == annee_precedente(campagne.annee_scolaire), Dossier.uai == uai,
        Dossier.etat.in_([e.value for e in FINANCES]))).first()
    if ancien is None:
        return None
    return set(session.exec(select(Bilan.type_bilan).where(Bilan.dossier_id == ancien.id, Bilan.transmis_le.is_not(None))))


def charger_situation(session: Session, etape: Etape, form: FormModel, campagne: Campagne,
                      dossier: Dossier | None, etab: Etablissement | None) -> Situation:
    """What the step's guards look at: the dossier's level and last year's bilans, then what the step's row loads."""
    s = Situation(aujourdhui=aujourdhui(), campagne=campagne, form=form, dossier=dossier)
    if dossier is None:
        return s
    s.degre = TypeStructure(etab.type_structure).degre
    s.bilans_annee_precedente = bilans_annee_precedente(session, campagne, dossier.uai)
    if etape.charger is not None:
        etape.charger(session, s, etab)
    return s


# --- Documents ---------------------------------------------------------------------------------


def contexte_commun(session: Session, campagne: Campagne, etab: Etablissement | None, dossier: Dossier | None,
                    reference: str) -> ContexteCommun:

    academie = session.get(Academie, campagne.academie_code)
    etab_ctx = resume = None
    if etab is not None:
        dep = session.get(Departement, etab.departement_code)
        etab_ctx = EtablissementContexte(
            uai=etab.uai, nom=etab.nom, type_libelle=TypeStructure(etab.type_structure).libelle,
            commune=etab.commune, departement=f"{dep.nom} ({dep.code})", circonscription_ien=etab.circonscription_ien,
            education_prioritaire=etab.education_prioritaire, qpv=etab.qpv)
    if dossier is not None:
        nb_groupes = len(dossier.formulaire.get("groupes", []))
        resume = DossierResume(numero=numero_dossier(campagne, dossier), nb_groupes=nb_groupes,
                               heures_total=dossier.heures_total, montant_demande=dossier.montant_demande,
                               nb_parents_prevus=dossier.nb_parents_prevus)
    jour = aujourdhui()
    profil = profils.profil_de(session, campagne.academie_code)
    contacts = profils.contacts_du_document(session, campagne.academie_code, etab.departement_code if etab else None)
    commun = ContexteCommun(academie=academie.nom, ville_rectorat=academie.ville_rectorat, annee_scolaire=campagne.annee_scolaire,
                            date_document=jour, reference=reference, references_reglementaires=list(profil.references_reglementaires),
                            taux_horaire=taux_a_la_date(session, jour), etablissement=etab_ctx, dossier=resume, contacts=contacts,
                            conservation_mois=get_settings().conservation_mois,
                            contact_donnees=profils.contact_dpd(campagne.academie_code))
    commun._images = signatures.images_du_contexte(session, campagne.academie_code, etab.departement_code if etab else None,
                                                   etab.uai if etab else None)
    return commun


def contexte_du_document(gabarit: str, commun: ContexteCommun, form: FormModel) -> dict:
    """The shared context and the form; a document that bears another date than today's (the procès-verbal: its
    committee's session) is dated so. It carries the signature and stamp of those who sign it (documents.catalogue),
    and no other holder's."""
    ctx = commun.model_dump() | form.model_dump() | commun.images_de(signataires(gabarit))
    champ_date = GABARITS[gabarit].date_du_document
    if champ_date and ctx.get(champ_date):
        ctx["date_document"] = ctx[champ_date]
    return ctx


def enregistrer_fichier(session: Session, *, sujet: str, type_document: str, fmt: str, contenu: bytes, etape: str,
                         acteur: Acteur, campagne: Campagne, dossier: Dossier | None, source_id: int | None,
                         ecrits: list[str], concerne: str = "", signe_de_id: int | None = None,
                         modele_id: int | None = None) -> Document:
    """Store a file and its row. `concerne` (« Amina Haddad ») names a document about one person in its file name,
    « fiche_inscription-amina-haddad-v1.docx », and on screen (workflow.noyau.format.libelle_du_document); its versions
    are counted per person. A scan signed outside the tool (`signe_de_id`, the generated document it is the signed copy
    of) is one more version of its type, « lettre_engagement-amina-haddad-signe-v2.pdf ». The stored path ends with a
    random token: a file left by an interrupted run (no row) can never stand in the way of the next one (it is swept
    at start-up: workflow.automatismes.balayage). `modele_id`: the académie's template version it was rendered with
    (workflow.noyau.modeles), None for the built-in template."""
    # One writer at a time per dossier (or campaign): the next version is read under that lock, so two uploads of one
    # séance's sheet, or two batches at once, get v1 and v2 instead of colliding.
    if dossier is not None:
        session.exec(update(Dossier).where(Dossier.id == dossier.id).values(id=Dossier.id))
    else:
        session.exec(update(Campagne).where(Campagne.id == campagne.id).values(id=Campagne.id))
    version = (session.exec(select(func.max(Document.version)).where(
        Document.sujet == sujet, Document.type_document == type_document, Document.format == fmt,
        Document.concerne == concerne)).one() or 0) + 1
    # Outside a dossier, one folder per subject (« campagne-1 », « campagne-1-departement-31 »): no two share a name.
    dossier_rel = (f"{campagne.annee_scolaire}/{dossier.uai}/dossier-{dossier.id}" if dossier
                   else f"{campagne.annee_scolaire}/{sujet.replace(':', '-')}")
    parties = (type_document, lot.nom_de_fichier(concerne), "signe" if signe_de_id else "")
    nom = f"{'-'.join(filter(None, parties))}-v{version}.{fmt}"
    relatif = f"{dossier_rel}/{nom.rsplit('.', 1)[0]}-{secrets.token_hex(4)}.{fmt}"
    doc = Document(sujet=sujet, dossier_id=dossier.id if dossier else None, campagne_id=campagne.id, etape=etape,
                   type_document=type_document, format=fmt, version=version, sha256=stockage.sha256(contenu),
                   taille=len(contenu), chemin=relatif, nom_fichier=nom, concerne=concerne, source_id=source_id,
                   signe_de_id=signe_de_id, genere_par_id=acteur.id, modele_id=modele_id)
    session.add(doc)
    session.flush()  # the row first: a refusal of the row writes no file
    ecrits.append(stockage.depot().ecrire(relatif, contenu))
    return doc


def produire_pdf(session: Session, document_id: int, acteur: Acteur, *, joint_a: str | None = None) -> Document:
    """Convert a stored DOCX into a new PDF document row (its own small transaction); with `joint_a` (its step's row
    says so), the PDF is also appended to the dossier's last PDF of that type, as a new version of it."""
    source = session.get(Document, document_id)
    if source is None or source.format != "docx":
        raise AccesRefuse("Document introuvable.")
    if source.dossier_id is not None:
        charger_dossier(session, acteur, source.dossier_id)
    reglages = get_settings()
    contenu = pdf.docx_vers_pdf(stockage.depot().lire(source.chemin, source.sha256),
                                mode=reglages.conversion, soffice=reglages.soffice, travail=reglages.travail_dir)
    campagne = session.get(Campagne, source.campagne_id)
    dossier = session.get(Dossier, source.dossier_id) if source.dossier_id else None
    with transaction_et_fichiers(session) as ecrits:
        produit = enregistrer_fichier(session, sujet=source.sujet, type_document=source.type_document, fmt="pdf",
                                       contenu=contenu, etape=source.etape, acteur=acteur, campagne=campagne,
                                       dossier=dossier, source_id=source.id, ecrits=ecrits, concerne=source.concerne,
                                       modele_id=source.modele_id)
        cible = _dernier_pdf(session, source.sujet, joint_a) if joint_a and dossier else None
        if cible is not None:  # e.g. the DASEN opinion appended to the dossier de candidature
            assemble = pdf.assembler([stockage.depot().lire(cible.chemin, cible.sha256), contenu])
            enregistrer_fichier(session, sujet=source.sujet, type_document=cible.type_document, fmt="pdf",
                                 contenu=assemble, etape=source.etape, acteur=acteur, campagne=campagne,
                                 dossier=dossier, source_id=produit.id, ecrits=ecrits)
        return produit


def produire_document(x: Execution, gabarit: str, form: FormModel) -> Document:
    """Inside a step's action, another document rendered again from the database as a new version of itself (its
    versions are counted per person, group or month it is about); the engine converts it to PDF with the step's own."""
    etab = x.session.get(Etablissement, x.dossier.uai)
    reference = f"OEPRE/{x.campagne.annee_scolaire}/{numero_dossier(x.campagne, x.dossier)}/{gabarit}"
    ctx = contexte_du_document(gabarit, contexte_commun(x.session, x.campagne, etab, x.dossier, reference), form)
    modele = modele_en_vigueur(x.session, x.campagne.academie_code, gabarit)
    with transaction_et_fichiers(x.session) as ecrits:
        doc = enregistrer_fichier(x.session, sujet=f"dossier:{x.dossier.id}", type_document=gabarit, fmt="docx",
                                  contenu=render.rendre(gabarit, ctx, modele.contenu), etape=x.etape, acteur=x.acteur,
                                  campagne=x.campagne, dossier=x.dossier, source_id=None, ecrits=ecrits,
                                  concerne=concerne(gabarit, ctx), modele_id=modele.modele_id)
    x.documents.append(doc)
    return doc


def _dernier_pdf(session: Session, sujet: str, type_document: str) -> Document | None:
    return session.exec(select(Document).where(Document.sujet == sujet, Document.type_document == type_document,
                                               Document.format == "pdf").order_by(Document.version.desc())).first()


# --- The transition service --------------------------------------------------------------------

# What a layer above adds to every step's one transaction, after its history row: the transition e-mails
# (workflow.automatismes.transitions registers itself here when workflow.automatismes is imported). In the step's
# transaction, a message exists if and only if its transition was committed.
Suite = Callable[[Execution, Etape, list[Document]], None]
SUITES: list[Suite] = []
# Key of Session.info set while a past is replayed (the demo's seed): its steps run without their suites.
HISTOIRE_REJOUEE = "oepre_histoire_rejouee"


def _historique(etape: Etape, form: FormModel, x: Execution) -> dict:
    """The form as submitted, or for a step on a parent's personal data only the parent's id (for the RGPD rights)."""
    if not etape.donnees_personnelles:
        return form.model_dump(mode="json") | x.historique
    auditeur_id = x.auditeur_id or getattr(form, "auditeur_id", None)
    return ({"auditeur_id": auditeur_id} if auditeur_id else {}) | x.historique


def appliquer(session: Session, acteur: Acteur, etape: Etape, *, donnees: dict, dossier_id: int | None = None,
              campagne_id: int | None = None, version: int | None = None, pdf_apres: bool = True) -> Resultat:
    """Apply the step (a row of the table) to a dossier, or to a campaign; workflow.services.executer finds the row."""
    cle = etape.cle
    exiger_role(acteur, etape.acteurs, etape.libelle)
    dossier = etab = None
    if etape.sujet == "dossier":  # scope first: an outsider learns nothing, not even validation messages
        if dossier_id is None or version is None:
            raise ValueError("Une étape de dossier exige dossier_id et la version lue.")
        dossier, etab = charger_dossier(session, acteur, dossier_id)
        campagne = session.get(Campagne, dossier.campagne_id)
        etat = Etat(dossier.etat)
    else:
        campagne = session.get(Campagne, campagne_id) if campagne_id else None
        etat = None
    if etape.titulaire_seul and not acteur.peut_deposer:
        raise AccesRefuse("Seul le directeur d'école ou le chef d'établissement dépose le dossier : "
                          "votre délégation permet de le préparer, pas de le déposer.")
    form = valider(etape.form, donnees)
    if etat is not None and etat not in etape.depuis:
        raise EtapeRefusee([Blocage(f"« {etape.libelle} » n'est pas possible : le dossier est à l'état « {etat.value} ».")])
    for completer in etape.completer:
        form = completer(session, campagne, dossier, form)

    situation = charger_situation(session, etape, form, campagne, dossier, etab)  # campagne None: opening one
    blocages = [b for garde in etape.gardes for b in garde(situation)]
    if regles.erreurs(blocages):
        raise EtapeRefusee(blocages)
    if dossier is not None:
        verrouiller(session, dossier, version)

    x = Execution(session=session, acteur=acteur, form=form, aujourdhui=aujourdhui(), campagne=campagne, dossier=dossier,
                  etape=cle)
    with transaction_et_fichiers(session) as ecrits:
        if etape.action is not None:
            etape.action(x)
        campagne = x.campagne
        nouvel_etat = etape.etat_cible(form, etat) if etat else None
        if dossier is not None:
            dossier.etat = nouvel_etat.value
            session.add(dossier)
        session.flush()
        sujet = f"dossier:{dossier.id}" if dossier else f"campagne:{campagne.id}"
        documents = []
        for gabarit in etape.gabarits:
            reference = f"OEPRE/{campagne.annee_scolaire}/{(numero_dossier(campagne, dossier) if dossier else 'AAP')}/{gabarit}"
            ctx = contexte_du_document(gabarit, contexte_commun(session, campagne, etab, dossier, reference), form)
            modele = modele_en_vigueur(session, campagne.academie_code, gabarit)
            contenu = render.rendre(gabarit, ctx, modele.contenu)
            documents.append(enregistrer_fichier(session, sujet=sujet, type_document=gabarit, fmt="docx", contenu=contenu,
                                                  etape=cle, acteur=acteur, campagne=campagne, dossier=dossier,
                                                  source_id=None, ecrits=ecrits, concerne=concerne(gabarit, ctx),
                                                  modele_id=modele.modele_id))
        documents += x.documents  # those its action produced again (a corrected séance's month grid…)
        motif = getattr(form, "motif", "") or ""
        session.add(Transition(dossier_id=dossier.id if dossier else None, campagne_id=campagne.id, etape=cle,
                               de=etat.value if etat else None, vers=nouvel_etat.value if nouvel_etat else None,
                               acteur_id=acteur.id, motif=motif,
                               donnees=_historique(etape, form, x),
                               document_id=documents[0].id if documents else None))
        session.flush()
        for suite in () if session.info.get(HISTOIRE_REJOUEE) else SUITES:
            suite(x, etape, documents)
    resultat = Resultat(etat=nouvel_etat, dossier_id=dossier.id if dossier else None, campagne_id=campagne.id,
                        documents=[d.id for d in documents], avertissements=blocages)
    if pdf_apres:
        for d in list(documents):
            try:
                resultat.documents.append(produire_pdf(session, d.id, acteur, joint_a=etape.joint_a).id)
            except (pdf.LibreOfficeAbsent, pdf.ConversionEchouee) as exc:
                resultat.erreur_pdf = str(exc)
    return resultat


# --- Drafts ------------------------------------------------------------------------------------



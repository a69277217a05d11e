"""One service function per transition, all through `executer`: permission → form → state →
guards → optimistic lock → step action → documents → history → one commit; PDFs after the commit.
"""

import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import false, func, update
from sqlmodel import Session, select

from db.models import (
    Auditeur,
    Avis,
    Bilan,
    Campagne,
    Decision,
    Departement,
    Document,
    Dossier,
    Enfant,
    Engagement,
    Etablissement,
    Groupe,
    Intervenant,
    JournalAudit,
    Seance,
    SeanceIntervenant,
    Transition,
    maintenant,
)
from documents import lot, pdf, render, stockage
from documents.catalogue import GABARITS, concerne
from forms.atelier import InscriptionForm, SeanceForm
from forms.base import ErreursSaisie, FormModel, annee_precedente, valider
from forms.candidature import CandidatureForm
from forms.contexte import REFERENCES_REGLEMENTAIRES, ContexteCommun, DossierResume, EtablissementContexte
from forms.lignes import modele_de_lignes, vers_json
from forms.vocabulaire import FINANCES, Etat, Role, TypeStructure
from workflow import paie, regles
from workflow.actions import ACTIONS, COMPLETEMENTS, Execution, numero_dossier
from workflow.etapes import ETAPES_PAR_CLE, Etape
from workflow.permissions import AccesRefuse, Acteur, exiger_perimetre, exiger_role
from workflow.regles import Blocage, Situation
from workflow.settings import aujourdhui, get_settings
from workflow.taux import taux_a_la_date


class EtapeRefusee(Exception):
    """The step's guards or the dossier's state refuse it; `blocages` holds the French reasons."""

    def __init__(self, blocages: list[Blocage]):
        super().__init__("\n".join(b.message for b in blocages))
        self.blocages = blocages


class ConflitEdition(Exception):
    def __init__(self) -> None:
        super().__init__("Ce dossier a été modifié par une autre personne depuis que vous l'avez ouvert. "
                         "Rechargez-le : vos saisies sont conservées à l'écran, recopiez ce qui doit l'être.")


@dataclass
class Resultat:
    etat: Etat | None
    dossier_id: int | None
    campagne_id: int | None
    documents: list[int] = field(default_factory=list)
    avertissements: list[Blocage] = field(default_factory=list)
    erreur_pdf: str | None = None


# --- Loading and checking ----------------------------------------------------------------------


def journaliser(session: Session, acteur: Acteur | None, action: str, objet: str = "", **details) -> None:
    session.add(JournalAudit(utilisateur_id=acteur.id if acteur else None, action=action, objet=objet, details=details))


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
    except AccesRefuse:
        with Session(session.get_bind()) as journal:  # survives the caller's rollback
            journaliser(journal, acteur, "acces_refuse", f"dossier:{dossier_id}")
            journal.commit()
        raise
    return dossier, etab


def _verrouiller(session: Session, dossier: Dossier, version_lue: int) -> None:
    """Optimistic lock in one UPDATE: it matches only if nobody wrote since `version_lue`."""
    res = session.exec(update(Dossier).where(Dossier.id == dossier.id, Dossier.version == version_lue)
                       .values(version=version_lue + 1, modifie_at=maintenant()))
    if res.rowcount != 1:
        session.rollback()
        raise ConflitEdition()
    session.refresh(dossier)


def _bilans_annee_precedente(session: Session, campagne: Campagne, uai: str) -> set[str] | None:
    ancien = session.exec(select(Dossier).join(Campagne).where(
        Campagne.annee_scolaire == annee_precedente(campagne.annee_scolaire), Dossier.uai == uai,
        Dossier.etat.in_([e.value for e in FINANCES]))).first()
    if ancien is None:
        return None
    return set(session.exec(select(Bilan.type_bilan).where(Bilan.dossier_id == ancien.id, Bilan.transmis_le.is_not(None))))


def charger_situation(session: Session, etape: Etape, form: FormModel, campagne: Campagne,
                      dossier: Dossier | None, etab: Etablissement | None) -> Situation:
    s = Situation(aujourdhui=aujourdhui(), campagne=campagne, form=form, dossier=dossier)
    if dossier is None:
        return s
    s.degre = TypeStructure(etab.type_structure).degre
    s.bilans_annee_precedente = _bilans_annee_precedente(session, campagne, dossier.uai)
    if etape.cle == "deposer":
        lignes = session.exec(
            select(Intervenant.nom, Intervenant.prenom, func.sum(Engagement.heures_prevues))
            .join(Engagement, Engagement.intervenant_id == Intervenant.id).join(Dossier, Dossier.id == Engagement.dossier_id)
            .where(Dossier.campagne_id == campagne.id, Dossier.id != dossier.id).group_by(Intervenant.nom, Intervenant.prenom))
        s.heures_intervenants_ailleurs = {f"{n.upper()} {p}": Decimal(h or 0) for n, p, h in lignes}
    elif etape.cle == "emettre_avis":
        s.rangs_pris = set(session.exec(
            select(Avis.priorite_departementale).join(Dossier, Dossier.id == Avis.dossier_id)
            .join(Etablissement, Etablissement.uai == Dossier.uai)
            .where(Dossier.campagne_id == campagne.id, Etablissement.departement_code == etab.departement_code,
                   Dossier.id != dossier.id, Avis.priorite_departementale.is_not(None))))
    elif etape.cle == "enregistrer_seance":
        _situation_seance(session, s, form, dossier)
    elif etape.cle == "inscrire_parent":
        s.doublons = _doublons_parent(session, form, campagne, dossier)
    elif etape.cle == "liquider":
        s.a_liquider = paie.a_liquider(session, dossier_id=dossier.id, mois=form.mois)
        s.minutes_payees = paie.minutes_payees(session, dossier.id)
        s.minutes_dossier = (0, paie.heures_financees(session, dossier.id))
    elif etape.cle == "notifier_credits":
        decision = session.exec(select(Decision).where(Decision.dossier_id == dossier.id)).first()
        s.montants_decides = (Decimal(decision.montant_p104), Decimal(decision.montant_en)) if decision else None
    elif etape.cle == "decider":
        p104, en = session.exec(
            select(func.coalesce(func.sum(Decision.montant_p104), 0), func.coalesce(func.sum(Decision.montant_en), 0))
            .join(Dossier, Dossier.id == Decision.dossier_id)
            .where(Dossier.campagne_id == campagne.id, Dossier.id != dossier.id)).one()
        s.engage_p104, s.engage_en = Decimal(p104), Decimal(en)
    return s


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte.casefold()) if not unicodedata.combining(c)).strip()


def _doublons_parent(session: Session, form: InscriptionForm, campagne: Campagne, dossier: Dossier) -> list[tuple[str, bool]]:
    """Duplicates by (names without case or accents, year of birth, a child's school) in the campaign (spec §6 step 6)."""
    ecoles = {e.uai_ecole for e in form.enfants}
    lignes = session.exec(select(Auditeur, Groupe.libelle, Etablissement.nom, Enfant.uai_ecole)
                          .join(Dossier, Dossier.id == Auditeur.dossier_id).join(Groupe, Groupe.id == Auditeur.groupe_id)
                          .join(Etablissement, Etablissement.uai == Dossier.uai).join(Enfant, Enfant.auditeur_id == Auditeur.id)
                          .where(Dossier.campagne_id == campagne.id, Auditeur.annee_naissance == form.annee_naissance
                                 if form.annee_naissance else Auditeur.annee_naissance.is_(None),
                                 Auditeur.date_sortie.is_(None), Enfant.uai_ecole.in_(ecoles)))
    cle = (_sans_accents(form.nom), _sans_accents(form.prenom))
    trouves = {(a.id, f"{groupe} — {etab}", a.dossier_id == dossier.id) for a, groupe, etab, _ in lignes
               if (_sans_accents(a.nom), _sans_accents(a.prenom)) == cle}
    return sorted({(ou, meme) for _, ou, meme in trouves})


def _situation_seance(session: Session, s: Situation, form: SeanceForm, dossier: Dossier) -> None:
    engages = paie.engages(session, dossier.id)
    presents = {nom.lower(): engages[nom.lower()] for nom in form.intervenants if nom.lower() in engages}
    faites = paie.minutes_realisees(session, [i.id for i, _ in presents.values()])
    s.vacations = {paie.nom_affiche(i): faites[i.id] for i, _ in presents.values()}
    s.periodes_engagement = {paie.nom_affiche(i): (e.date_debut, e.date_fin) for i, e in presents.values()}
    groupe = session.exec(select(Groupe).where(Groupe.dossier_id == dossier.id, Groupe.libelle == form.groupe)).first()
    if groupe is not None:
        s.periode_groupe = (groupe.date_debut, groupe.date_fin)
        s.periodes_parents = {f"{a.prenom} {a.nom}".lower(): (a.date_inscription, a.date_sortie) for a in session.exec(
            select(Auditeur).where(Auditeur.groupe_id == groupe.id))}
    s.seances_du_jour = _seances_du_jour(session, form, dossier, groupe,
                                         {i.id: paie.nom_affiche(i) for i, _ in presents.values()})
    realisees = session.exec(select(func.coalesce(func.sum(Seance.minutes), 0)).join(Groupe, Groupe.id == Seance.groupe_id)
                             .where(Groupe.dossier_id == dossier.id, Seance.annulee.is_(False))).one()
    s.minutes_dossier = (int(realisees), paie.heures_financees(session, dossier.id))


def _seances_du_jour(session: Session, form: SeanceForm, dossier: Dossier, groupe: Groupe | None,
                     intervenants: dict[int, str]) -> list[regles.SeanceDuJour]:
    """In one query, the séances (not cancelled) on the form's date of its group, or led by one of its intervenants
    in any atelier: the guard refuses those whose times overlap."""
    condition = Seance.groupe_id == groupe.id if groupe is not None else false()
    if intervenants:
        condition = condition | SeanceIntervenant.intervenant_id.in_(list(intervenants))
    lignes = session.exec(
        select(Seance.id, Seance.groupe_id, Groupe.libelle, Groupe.dossier_id, Seance.heure_debut, Seance.heure_fin,
               SeanceIntervenant.intervenant_id)
        .join(Groupe, Groupe.id == Seance.groupe_id)
        .outerjoin(SeanceIntervenant, SeanceIntervenant.seance_id == Seance.id)
        .where(Seance.date_seance == form.date_seance, Seance.annulee.is_(False), condition)
        .order_by(Seance.heure_debut, Seance.id))
    par_seance: dict[int, tuple[tuple, set[str]]] = {}
    for seance_id, groupe_id, libelle, dossier_id, debut, fin, intervenant_id in lignes:
        entete, noms = par_seance.setdefault(seance_id, ((groupe_id, libelle, dossier_id, debut, fin), set()))
        if intervenant_id in intervenants:
            noms.add(intervenants[intervenant_id])
    return [regles.SeanceDuJour(groupe=libelle, meme_groupe=groupe is not None and groupe_id == groupe.id,
                                meme_dossier=dossier_id == dossier.id, heure_debut=debut, heure_fin=fin,
                                intervenants=frozenset(noms))
            for (groupe_id, libelle, dossier_id, debut, fin), noms in par_seance.values()]


# --- Documents ---------------------------------------------------------------------------------


def contexte_commun(session: Session, campagne: Campagne, etab: Etablissement | None, dossier: Dossier | None,
                    reference: str) -> ContexteCommun:
    from db.models import Academie

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
        resume = DossierResume(numero=numero_dossier(campagne, dossier), etat=dossier.etat, nb_groupes=nb_groupes,
                               heures_total=dossier.heures_total, montant_demande=dossier.montant_demande,
                               nb_parents_prevus=dossier.nb_parents_prevus)
    jour = aujourdhui()
    return ContexteCommun(academie=academie.nom, ville_rectorat=academie.ville_rectorat, annee_scolaire=campagne.annee_scolaire,
                          date_document=jour, reference=reference, references_reglementaires=REFERENCES_REGLEMENTAIRES,
                          taux_horaire=taux_a_la_date(session, jour), etablissement=etab_ctx, dossier=resume)


def contexte_du_document(gabarit: str, commun: ContexteCommun, form: FormModel) -> dict:
    """The shared context and the form; a document that bears another date than today's (the procès-verbal: its
    committee's session) is dated so."""
    ctx = commun.model_dump() | form.model_dump()
    champ_date = GABARITS[gabarit].date_du_document
    if champ_date and ctx.get(champ_date):
        ctx["date_document"] = ctx[champ_date]
    return ctx


def enregistrer_fichier(session: Session, *, sujet: str, type_document: str, fmt: str, contenu: bytes, etape: str,
                         acteur: Acteur, campagne: Campagne, dossier: Dossier | None, source_id: int | None,
                         ecrits: list[Path], concerne: str = "") -> Document:
    """Store a file and its row. `concerne` (« Amina Haddad ») names a document about one person in its file name,
    « fiche_inscription-amina-haddad-v1.docx », and on screen (workflow.format.libelle_du_document); its versions
    are counted per person. The stored path ends with a random token: a file left by an interrupted run (no row) can
    never stand in the way of the next one (it is swept at start-up: workflow.balayage)."""
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
    nom = f"{'-'.join(filter(None, (type_document, lot.nom_de_fichier(concerne))))}-v{version}.{fmt}"
    relatif = f"{dossier_rel}/{nom.rsplit('.', 1)[0]}-{secrets.token_hex(4)}.{fmt}"
    doc = Document(sujet=sujet, dossier_id=dossier.id if dossier else None, campagne_id=campagne.id, etape=etape,
                   type_document=type_document, format=fmt, version=version, sha256=stockage.sha256(contenu),
                   taille=len(contenu), chemin=relatif, nom_fichier=nom, concerne=concerne, source_id=source_id,
                   genere_par_id=acteur.id)
    session.add(doc)
    session.flush()  # the row first: a refusal of the row writes no file
    ecrits.append(stockage.ecrire_immuable(get_settings().documents_dir, relatif, contenu))
    return doc


@contextmanager
def transaction_et_fichiers(session: Session) -> Iterator[list[Path]]:
    """Commit once at the end; on any failure roll back and delete the files written meanwhile,
    so that no document exists without its row and no row without its document."""
    ecrits: list[Path] = []
    try:
        yield ecrits
        session.commit()
    except BaseException:
        session.rollback()
        for chemin in ecrits:
            chemin.unlink(missing_ok=True)
        raise


def produire_pdf(session: Session, document_id: int, acteur: Acteur) -> Document:
    """Convert a stored DOCX into a new PDF document row (its own small transaction)."""
    source = session.get(Document, document_id)
    if source is None or source.format != "docx":
        raise AccesRefuse("Document introuvable.")
    if source.dossier_id is not None:
        charger_dossier(session, acteur, source.dossier_id)
    reglages = get_settings()
    contenu = pdf.docx_vers_pdf(stockage.lire(reglages.documents_dir, source.chemin, source.sha256),
                                mode=reglages.conversion, soffice=reglages.soffice, travail=reglages.travail_dir)
    campagne = session.get(Campagne, source.campagne_id)
    dossier = session.get(Dossier, source.dossier_id) if source.dossier_id else None
    with transaction_et_fichiers(session) as ecrits:
        produit = enregistrer_fichier(session, sujet=source.sujet, type_document=source.type_document, fmt="pdf",
                                       contenu=contenu, etape=source.etape, acteur=acteur, campagne=campagne,
                                       dossier=dossier, source_id=source.id, ecrits=ecrits, concerne=source.concerne)
        etape = ETAPES_PAR_CLE.get(source.etape)
        cible = _dernier_pdf(session, source.sujet, etape.joint_a) if etape and etape.joint_a and dossier else None
        if cible is not None:  # e.g. the DASEN opinion appended to the dossier de candidature
            assemble = pdf.assembler([stockage.lire(reglages.documents_dir, cible.chemin, cible.sha256), contenu])
            enregistrer_fichier(session, sujet=source.sujet, type_document=cible.type_document, fmt="pdf",
                                 contenu=assemble, etape=source.etape, acteur=acteur, campagne=campagne,
                                 dossier=dossier, source_id=produit.id, ecrits=ecrits)
        return produit


def _dernier_pdf(session: Session, sujet: str, type_document: str) -> Document | None:
    return session.exec(select(Document).where(Document.sujet == sujet, Document.type_document == type_document,
                                               Document.format == "pdf").order_by(Document.version.desc())).first()


# --- The transition service --------------------------------------------------------------------


def _historique(etape: Etape, form: FormModel, x: Execution) -> dict:
    """The form as submitted, or for a step on a parent's personal data only the parent's id (for the RGPD rights)."""
    if not etape.donnees_personnelles:
        return form.model_dump(mode="json")
    auditeur_id = x.auditeur_id or getattr(form, "auditeur_id", None)
    return {"auditeur_id": auditeur_id} if auditeur_id else {}


def executer(session: Session, acteur: Acteur, cle: str, *, donnees: dict, dossier_id: int | None = None,
             campagne_id: int | None = None, version: int | None = None, pdf_apres: bool = True) -> Resultat:
    etape = ETAPES_PAR_CLE[cle]
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
    if cle == "deposer" and not acteur.peut_deposer:
        raise AccesRefuse("Seul le directeur d'école ou le chef d'établissement dépose le dossier : "
                          "votre délégation permet de le préparer, pas de le déposer.")
    form = valider(etape.form, donnees)
    if etat is not None and etat not in etape.depuis:
        raise EtapeRefusee([Blocage(f"« {etape.libelle} » n'est pas possible : le dossier est à l'état « {etat.value} ».")])
    if cle in COMPLETEMENTS:
        form = COMPLETEMENTS[cle](session, campagne, dossier, form)
    if "taux_horaire" in type(form).model_fields:
        form = form.model_copy(update={"taux_horaire": taux_a_la_date(session, aujourdhui())})

    situation = charger_situation(session, etape, form, campagne, dossier, etab)  # campagne None: opening one
    blocages = [b for garde in etape.gardes for b in garde(situation)]
    if regles.erreurs(blocages):
        raise EtapeRefusee(blocages)
    if dossier is not None:
        _verrouiller(session, dossier, version)

    x = Execution(session=session, acteur=acteur, form=form, aujourdhui=aujourdhui(), campagne=campagne, dossier=dossier)
    with transaction_et_fichiers(session) as ecrits:
        if cle in ACTIONS:
            ACTIONS[cle](x)
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
            contenu = render.rendre(gabarit, ctx)
            documents.append(enregistrer_fichier(session, sujet=sujet, type_document=gabarit, fmt="docx", contenu=contenu,
                                                  etape=cle, acteur=acteur, campagne=campagne, dossier=dossier,
                                                  source_id=None, ecrits=ecrits, concerne=concerne(gabarit, ctx)))
        motif = getattr(form, "motif", "") or ""
        session.add(Transition(dossier_id=dossier.id if dossier else None, campagne_id=campagne.id, etape=cle,
                               de=etat.value if etat else None, vers=nouvel_etat.value if nouvel_etat else None,
                               acteur_id=acteur.id, motif=motif,
                               donnees=_historique(etape, form, x),
                               document_id=documents[0].id if documents else None))
    resultat = Resultat(etat=nouvel_etat, dossier_id=dossier.id if dossier else None, campagne_id=campagne.id,
                        documents=[d.id for d in documents], avertissements=blocages)
    if pdf_apres:
        for d in list(documents):
            try:
                resultat.documents.append(produire_pdf(session, d.id, acteur).id)
            except (pdf.LibreOfficeAbsent, pdf.ConversionEchouee) as exc:
                resultat.erreur_pdf = str(exc)
    return resultat


# --- Drafts ------------------------------------------------------------------------------------


def creer_dossier(session: Session, acteur: Acteur, *, campagne_id: int, uai: str) -> int:
    exiger_role(acteur, (Role.PORTEUR,), "Créer un dossier")
    etab = session.get(Etablissement, uai)
    if etab is None:
        raise AccesRefuse("Établissement inconnu.")
    exiger_perimetre(acteur, uai=uai, departement=etab.departement_code)
    existant = session.exec(select(Dossier).where(Dossier.campagne_id == campagne_id, Dossier.uai == uai)).first()
    if existant:
        return existant.id
    dossier = Dossier(campagne_id=campagne_id, uai=uai, cree_par_id=acteur.id)
    session.add(dossier)
    session.flush()
    session.add(Transition(dossier_id=dossier.id, campagne_id=campagne_id, etape="creer_dossier", de=None,
                           vers=Etat.BROUILLON.value, acteur_id=acteur.id))
    session.commit()
    return dossier.id


def enregistrer_brouillon(session: Session, acteur: Acteur, *, dossier_id: int, donnees: dict, version: int) -> int:
    """Keep what was typed, even incomplete; returns the new version. Only known fields are kept."""
    exiger_role(acteur, (Role.PORTEUR,), "Enregistrer le brouillon")
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    if dossier.etat != Etat.BROUILLON:
        raise EtapeRefusee([Blocage("Le dossier déposé ne peut plus être modifié ; demandez un renvoi pour correction.")])
    connus = set(CandidatureForm.model_fields)
    inconnus = set(donnees) - connus
    if inconnus:
        raise ErreursSaisie([f"Champ inconnu : {nom}." for nom in sorted(inconnus)])
    _verrouiller(session, dossier, version)
    dossier.formulaire = brouillon_json(donnees)
    session.add(dossier)
    session.commit()
    return dossier.version


def brouillon_json(donnees: dict) -> dict:
    """The draft as stored: each list-of-rows field (groups, intervenants) in the one JSON form of forms.lignes,
    whoever wrote it (the grid, a filing's dump, last year's dossier), so the grid can read it back typed."""
    propre = dict(donnees)
    for nom, info in CandidatureForm.model_fields.items():
        modele = modele_de_lignes(info.annotation)
        if modele is not None and isinstance(propre.get(nom), list):
            propre[nom] = vers_json(modele, propre[nom])
    return propre


def bilans_de_l_an_dernier(session: Session, acteur: Acteur, dossier_id: int) -> set[str] | None:
    """The bilans the dossier's school transmitted last year (None when it had no dossier last year)."""
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    return _bilans_annee_precedente(session, session.get(Campagne, dossier.campagne_id), dossier.uai)


def reprendre_dossier_precedent(session: Session, acteur: Acteur, *, dossier_id: int, version: int) -> tuple[int, list[Blocage]]:
    """Pre-fill a draft from the school's dossier of last year (renewal), dates moved one year on.
    Returns the new version and a warning when last year's two bilans are not both transmitted."""
    exiger_role(acteur, (Role.PORTEUR,), "Reprendre le dossier de l'an dernier")
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    campagne = session.get(Campagne, dossier.campagne_id)
    ancien = session.exec(select(Dossier).join(Campagne).where(Campagne.annee_scolaire == annee_precedente(campagne.annee_scolaire),
                                                               Dossier.uai == dossier.uai)).first()
    if ancien is None or not ancien.formulaire:
        raise EtapeRefusee([Blocage("Aucun dossier de l'an dernier à reprendre pour cet établissement.")])
    donnees = {k: v for k, v in ancien.formulaire.items() if k in CandidatureForm.model_fields}
    donnees["renouvellement"] = True
    donnees = brouillon_json(donnees)
    for groupe in donnees.get("groupes", []):
        for cle in ("date_debut", "date_fin"):
            try:
                jour = date.fromisoformat(groupe[cle])
            except (KeyError, TypeError, ValueError):  # missing or unreadable: left for the head to correct
                continue
            groupe[cle] = (jour.replace(year=jour.year + 1) if (jour.month, jour.day) != (2, 29)
                           else date(jour.year + 1, 2, 28)).isoformat()
    nouvelle = enregistrer_brouillon(session, acteur, dossier_id=dossier_id, donnees=donnees, version=version)
    bilans = _bilans_annee_precedente(session, campagne, dossier.uai)
    avertissements = []
    if bilans is not None and not regles.bilans_complets(bilans):
        avertissements.append(Blocage("Les deux bilans de l'an dernier (pédagogique et financier) ne sont pas tous transmis : "
                                      "sans eux le comité ne pourra pas retenir ce dossier.", "avertissement"))
    return nouvelle, avertissements

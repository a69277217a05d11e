"""The two closing bilans, computed from the database (spec §8.2, §8.3), and the renewal rule's inputs.

`chiffres_bilans` reads every figure of the bilan pédagogique for many dossiers at once, in a fixed number
of queries whatever their number (the DAEPS exports and the indicators read a whole académie this way).
Definitions, stated once here and printed on the worksheet:
- hours realised: séances held (not cancelled); hours per axis: hours of séances that worked on it (a séance
  may work on several axes, so the three do not add up to the total);
- registered at the start: registered on or before the first séance of their group;
- present at the end: attended at least one séance in the four weeks before the atelier's last séance;
- assiduity rate: hours attended over hours offered since each parent's registration (until exit);
  assiduous: at or above the campaign's threshold, as on the attestation;
- primo-arrivant: arrived in France less than five years before the campaign's year;
- age: campaign year minus year of birth;
- progress: among parents with an initial and a final evaluation, those whose final level (oral, written) is at
  least one level above the initial one, by initial level.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import (
    Auditeur,
    Bilan,
    Campagne,
    Decision,
    Document,
    Dossier,
    Groupe,
    Intervenant,
    Seance,
    SeanceIntervenant,
)
from forms.base import ErreursSaisie
from forms.cloture import (
    CHIFFRES_DECLARES,
    BilanFinancierForm,
    BilanPedagogiqueForm,
    ChiffresBilan,
    Effectif,
    GroupeBilan,
    IntervenantsBilan,
    ProgressionNiveau,
)
from forms.vocabulaire import (
    FINANCES,
    NIVEAUX_D_UNE_PERSONNE,
    QUALIFIES_FLE_FLS,
    Etat,
    MotifSortie,
    Niveau,
    Orientation,
    Pays,
    Role,
    StatutIntervenant,
    TypeBilan,
)
from workflow.noyau import evaluation
from workflow.noyau.assiduite import assiduites
from workflow.noyau.format import heures, montant
from workflow.noyau.moteur import charger_dossier
from workflow.noyau.paie import minutes_en_heures
from workflow.noyau.permissions import Acteur, exiger_role
from workflow.noyau.public import NON_RENSEIGNE, TRANCHES_AGE, est_primo_arrivant, tranche_age
from workflow.noyau.requetes import dossiers_visibles

ZERO = Decimal("0")
TRANCHES_HEURES = (("Moins de 20 h", ZERO, Decimal("20")), ("20 à 40 h", Decimal("20"), Decimal("40")),
                   ("40 à 60 h", Decimal("40"), Decimal("60")), ("60 h et plus", Decimal("60"), None))
PAYS_AFFICHES = 10
# Every role that follows dossiers sees which bilans arrived (each on its scope)…
LECTEURS_BILANS = (Role.PORTEUR, Role.GESTIONNAIRE, Role.DSDEN, Role.DAEPS, Role.PILOTE, Role.COMITE, Role.CASNAV,
                   Role.ADMIN)
# …but an atelier's worksheet counts parents by country and language, small numbers that can point at a person
# (spec §10 rule 3): only those who write, receive or check the bilan read it.
LECTEURS_FICHE_BILAN = (Role.PORTEUR, Role.GESTIONNAIRE, Role.DSDEN, Role.DAEPS, Role.PILOTE)


def tranche_heures(heures: Decimal) -> str:
    return next(nom for nom, mini, maxi in TRANCHES_HEURES if heures >= mini and (maxi is None or heures < maxi))


def _effectifs(compte: Counter, ordre: Iterable[str] = ()) -> list[Effectif]:
    """Lines in the given order first (zeros kept, so every bilan has the same lines), then the others by count."""
    ordre = list(ordre)
    autres = sorted((k for k in compte if k not in ordre), key=lambda k: (-compte[k], k))
    return [Effectif(libelle=k, nombre=compte.get(k, 0)) for k in [*ordre, *autres]]


def _pays(compte: Counter) -> list[Effectif]:
    renseignes = sorted(((Pays(code).libelle, n) for code, n in compte.items() if code), key=lambda x: (-x[1], x[0]))
    lignes = [Effectif(libelle=nom, nombre=n) for nom, n in renseignes[:PAYS_AFFICHES]]
    if reste := sum(n for _, n in renseignes[PAYS_AFFICHES:]):
        lignes.append(Effectif(libelle="Autres pays", nombre=reste))
    if compte.get(None):
        lignes.append(Effectif(libelle=NON_RENSEIGNE, nombre=compte[None]))
    return lignes


def _pct(partie: Decimal, total: Decimal) -> Decimal:
    return (partie * 100 / total).quantize(Decimal("0.1")) if total else ZERO


def chiffres_bilans(session: Session, dossier_ids: Iterable[int]) -> dict[int, ChiffresBilan]:
    """The quantitative bilan of each dossier, by dossier id (eight queries in all)."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    campagnes = dict(session.exec(select(Dossier.id, Campagne).join(Campagne, Campagne.id == Dossier.campagne_id)
                                  .where(Dossier.id.in_(ids))).all())
    financees = dict(session.exec(select(Decision.dossier_id, Decision.heures_financees).where(Decision.dossier_id.in_(ids))).all())
    groupes = session.exec(select(Groupe).where(Groupe.dossier_id.in_(ids)).order_by(Groupe.dossier_id, Groupe.libelle)).all()
    seances = session.exec(select(Seance.groupe_id, Seance.date_seance, Seance.minutes, Seance.axes, Seance.annulee)
                           .join(Groupe, Groupe.id == Seance.groupe_id).where(Groupe.dossier_id.in_(ids))).all()
    parents = session.exec(select(Auditeur).where(Auditeur.dossier_id.in_(ids))).all()
    travail = session.exec(
        select(Groupe.dossier_id, Intervenant.id, Intervenant.statut, Intervenant.qualification_fle_fls,
               func.sum(SeanceIntervenant.minutes))
        .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
        .join(Intervenant, Intervenant.id == SeanceIntervenant.intervenant_id)
        .where(Groupe.dossier_id.in_(ids), Seance.annulee.is_(False))
        .group_by(Groupe.dossier_id, Intervenant.id, Intervenant.statut, Intervenant.qualification_fle_fls)).all()
    suivis = assiduites(session, ids)
    evalues = evaluation.evaluations(session, ids)

    seances_par_groupe: dict[int, list] = defaultdict(list)
    for s in seances:
        seances_par_groupe[s.groupe_id].append(s)
    groupes_par_dossier: dict[int, list[Groupe]] = defaultdict(list)
    for g in groupes:
        groupes_par_dossier[g.dossier_id].append(g)
    parents_par_dossier: dict[int, list[Auditeur]] = defaultdict(list)
    for p in parents:
        parents_par_dossier[p.dossier_id].append(p)
    travail_par_dossier: dict[int, list] = defaultdict(list)
    for ligne in travail:
        travail_par_dossier[ligne[0]].append(ligne)

    # Durations are summed in exact minutes and each figure converted to hours once (the survey asks for hours).
    h = minutes_en_heures
    resultat = {}
    for dossier_id in ids:
        campagne = campagnes[dossier_id]
        annee = campagne.date_ouverture.year
        lignes_groupes, premiere_seance, derniere = [], {}, None
        minutes_dossier, minutes_axes = 0, Counter()
        for g in groupes_par_dossier[dossier_id]:
            tenues = [s for s in seances_par_groupe[g.id] if not s.annulee]
            par_axe = {axe: sum(s.minutes for s in tenues if axe in (s.axes or [])) for axe in ("langue", "ecole", "valeurs")}
            minutes_groupe = sum(s.minutes for s in tenues)
            minutes_dossier += minutes_groupe
            minutes_axes.update(par_axe)
            if tenues:
                premiere_seance[g.id] = min(s.date_seance for s in tenues)
                fin = max(s.date_seance for s in tenues)
                derniere = fin if derniere is None else max(derniere, fin)
            lignes_groupes.append(GroupeBilan(
                libelle=g.libelle, heures_prevues=Decimal(g.heures_prevues),
                heures_financees=None if g.heures_financees is None else Decimal(g.heures_financees),
                heures_realisees=h(minutes_groupe), nb_seances=len(tenues),
                nb_seances_annulees=len(seances_par_groupe[g.id]) - len(tenues),
                heures_langue=h(par_axe["langue"]), heures_ecole=h(par_axe["ecole"]), heures_valeurs=h(par_axe["valeurs"]),
                inscrits=sum(1 for p in parents_par_dossier[dossier_id] if p.groupe_id == g.id),
                inscrits_fin=sum(1 for p in parents_par_dossier[dossier_id] if p.groupe_id == g.id and not p.date_sortie)))
        dossier_parents = parents_par_dossier[dossier_id]
        evaluations_dossier = [evalues[p.id] for p in dossier_parents if p.id in evalues]
        suivis_dossier = [suivis[p.id] for p in dossier_parents]
        fenetre_fin = derniere - timedelta(days=27) if derniere else None
        presence_totale = sum(s.minutes_presentes for s in suivis_dossier)
        proposees = sum(s.minutes_proposees for s in suivis_dossier)
        minutes_intervenants: dict[str, list] = defaultdict(lambda: [0, 0])
        minutes_qualifiees = minutes_travail = 0
        for _, _, statut, qualifie, m in travail_par_dossier[dossier_id]:
            minutes_intervenants[statut][0] += 1
            minutes_intervenants[statut][1] += int(m)
            minutes_travail += int(m)
            if qualifie or statut in QUALIFIES_FLE_FLS:
                minutes_qualifiees += int(m)
        resultat[dossier_id] = ChiffresBilan(
            groupes=lignes_groupes, nb_groupes=len(lignes_groupes),
            heures_prevues=sum((g.heures_prevues for g in lignes_groupes), ZERO),
            heures_financees=(Decimal(financees[dossier_id]) if dossier_id in financees
                              else sum((g.heures_financees or ZERO for g in lignes_groupes), ZERO)),
            heures_realisees=h(minutes_dossier),
            nb_seances=sum(g.nb_seances for g in lignes_groupes),
            nb_seances_annulees=sum(g.nb_seances_annulees for g in lignes_groupes),
            heures_langue=h(minutes_axes["langue"]), heures_ecole=h(minutes_axes["ecole"]),
            heures_valeurs=h(minutes_axes["valeurs"]),
            inscrits_debut=sum(1 for p in dossier_parents
                               if p.groupe_id in premiere_seance and p.date_inscription <= premiere_seance[p.groupe_id]),
            inscrits_total=len(dossier_parents),
            presents_fin=sum(1 for s in suivis_dossier if fenetre_fin and s.derniere and s.derniere >= fenetre_fin),
            sorties=sum(1 for p in dossier_parents if p.date_sortie),
            sorties_par_motif=_effectifs(Counter(MotifSortie(p.motif_sortie or "inconnu").libelle
                                                 for p in dossier_parents if p.date_sortie)),
            femmes=sum(1 for p in dossier_parents if p.sexe == "F"),
            hommes=sum(1 for p in dossier_parents if p.sexe == "M"),
            sexe_non_renseigne=sum(1 for p in dossier_parents if p.sexe not in ("F", "M")),
            tranches_age=_effectifs(Counter(tranche_age(p.annee_naissance, annee) for p in dossier_parents),
                                    [nom for nom, _, _ in TRANCHES_AGE]),
            primo_arrivants=sum(1 for p in dossier_parents if est_primo_arrivant(p.annee_arrivee_france, annee)),
            hors_ue=sum(1 for p in dossier_parents if p.hors_ue),
            cir_signe=sum(1 for p in dossier_parents if p.cir_signe == "oui"),
            protection_internationale=sum(1 for p in dossier_parents if p.protection_internationale == "oui"),
            reinscrits=sum(1 for p in dossier_parents if p.deja_inscrit_session_precedente),
            nouveaux=sum(1 for p in dossier_parents if not p.deja_inscrit_session_precedente),
            heures_presence=h(presence_totale), heures_proposees=h(proposees),
            taux_assiduite_pct=_pct(Decimal(presence_totale), Decimal(proposees)),
            repartition_heures=_effectifs(Counter(tranche_heures(Decimal(s.minutes_presentes) / 60) for s in suivis_dossier),
                                          [nom for nom, _, _ in TRANCHES_HEURES]),
            assidus=sum(1 for s in suivis_dossier if s.minutes_proposees and s.pourcentage() >= campagne.seuil_assiduite_pct),
            seuil_assiduite_pct=campagne.seuil_assiduite_pct,
            absences_excusees=sum(s.absences_excusees for s in suivis_dossier),
            pays=_pays(Counter(p.pays_origine for p in dossier_parents)),
            langues=_effectifs(Counter(langue for p in dossier_parents for langue in (p.langues or []))),
            niveaux_oral=_effectifs(Counter(_niveau(p.niveau_oral) for p in dossier_parents), ORDRE_NIVEAUX),
            niveaux_ecrit=_effectifs(Counter(_niveau(p.niveau_ecrit) for p in dossier_parents), ORDRE_NIVEAUX),
            evalues_initiale=sum(1 for e in evaluations_dossier if e.initiale),
            evalues_deux_fois=sum(1 for e in evaluations_dossier if e.initiale and e.finale),
            progression_oral=_progression(evaluations_dossier, "oral"),
            progression_ecrit=_progression(evaluations_dossier, "ecrit"),
            intervenants=[IntervenantsBilan(statut=StatutIntervenant(statut).libelle, nombre=n, heures=h(m))
                          for statut, (n, m) in sorted(minutes_intervenants.items())],
            nb_intervenants=sum(n for n, _ in minutes_intervenants.values()),
            part_heures_qualifiees_pct=_pct(Decimal(minutes_qualifiees), Decimal(minutes_travail)),
            orientations=_effectifs(Counter(Orientation(p.orientation_par).libelle if p.orientation_par else NON_RENSEIGNE
                                            for p in dossier_parents)),
        )
    return resultat


NON_EVALUE = "Non évalué"
ORDRE_NIVEAUX = [*(n.libelle for n in NIVEAUX_D_UNE_PERSONNE), NON_EVALUE]


def _niveau(valeur: str) -> str:
    return Niveau(valeur).libelle if valeur in {n.value for n in Niveau} else NON_EVALUE


def _progression(evaluations_dossier: list[evaluation.EvaluationsParent], competence: str) -> list[ProgressionNiveau]:
    """By initial level (on the scale's order), the parents evaluated twice and those who gained a level."""
    par_niveau: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for e in evaluations_dossier:
        gain = e.progres(competence)
        if gain is not None:
            ligne = par_niveau[getattr(e.initiale, f"niveau_{competence}")]
            ligne[0] += 1
            ligne[1] += gain > 0
    return [ProgressionNiveau(libelle=Niveau(n).libelle, evalues=v, en_progres=p)
            for n in evaluation.ECHELLE if n in par_niveau for v, p in [par_niveau[n]]]


def _ecarts_declares(form: BilanPedagogiqueForm, chiffres: ChiffresBilan) -> list[str]:
    ecarts = []
    for nom, titre in CHIFFRES_DECLARES.items():
        declare, calcule = getattr(form, nom), getattr(chiffres, nom)
        if declare is not None and Decimal(declare) != Decimal(calcule):
            ecarts.append(f"{titre} : {heures(declare)} déclaré(s), {heures(calcule)} d'après les émargements et "
                          "inscriptions enregistrés.")
    if form.reussites_dilf_delf and (form.inscriptions_dilf_delf or 0) < form.reussites_dilf_delf:
        ecarts.append("DILF / DELF : plus de réussites que d'inscriptions déclarées.")
    return ecarts


def _bilans_transmis(session: Session, dossier_id: int) -> set[str]:
    return set(session.exec(select(Bilan.type_bilan).where(Bilan.dossier_id == dossier_id, Bilan.transmis_le.is_not(None))))


def completer_bilan_pedagogique(session: Session, campagne: Campagne, dossier: Dossier,
                                form: BilanPedagogiqueForm) -> BilanPedagogiqueForm:
    chiffres = chiffres_bilans(session, [dossier.id])[dossier.id]
    if form.date_envoi < campagne.date_ouverture:
        raise ErreursSaisie([f"« Date d'envoi dans l'enquête nationale » : elle précède l'ouverture de la campagne "
                             f"({campagne.date_ouverture:%d/%m/%Y})."])
    return form.model_copy(update={"chiffres": chiffres, "ecarts": _ecarts_declares(form, chiffres),
                                   "dernier_bilan": TypeBilan.FINANCIER.value in _bilans_transmis(session, dossier.id)})


def financier_calcule(session: Session, dossier: Dossier, form: BilanFinancierForm) -> BilanFinancierForm:
    """The financial bilan with every figure the database knows (credits, pay, hours, evidence) filled in."""
    decision = session.exec(select(Decision).where(Decision.dossier_id == dossier.id)).first()
    vacations, payees = session.exec(
        select(func.coalesce(func.sum(SeanceIntervenant.montant_paye), 0), func.coalesce(func.sum(SeanceIntervenant.minutes), 0))
        .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
        .where(Groupe.dossier_id == dossier.id, SeanceIntervenant.liquide_le.is_not(None))).one()
    realisees = session.exec(select(func.coalesce(func.sum(Seance.minutes), 0)).join(Groupe, Groupe.id == Seance.groupe_id)
                             .where(Groupe.dossier_id == dossier.id, Seance.annulee.is_(False))).one()
    non_liquidees = session.exec(select(func.count()).select_from(SeanceIntervenant)
                                 .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
                                 .where(Groupe.dossier_id == dossier.id, Seance.annulee.is_(False),
                                        SeanceIntervenant.liquide_le.is_(None))).one()
    pieces = dict(session.exec(select(Document.type_document, func.count()).where(  # each scan; each état once (DOCX)
        Document.dossier_id == dossier.id, (Document.type_document == "emargement_signe")
        | ((Document.type_document == "etat_liquidatif") & (Document.format == "docx") & Document.signe_de_id.is_(None)))
        .group_by(Document.type_document)).all())
    # an état signed outside the tool is still one état; it counts once among the signed ones, however many scans
    etats_signes = session.exec(select(func.count(func.distinct(Document.signe_de_id))).where(
        Document.dossier_id == dossier.id, Document.type_document == "etat_liquidatif")).one()
    notification = session.exec(select(func.min(Document.genere_at)).where(
        Document.dossier_id == dossier.id, Document.type_document == "notification_credits")).one()
    complete = form.model_copy(update={
        "montant_p104": decision.montant_p104 if decision else ZERO, "montant_en": decision.montant_en if decision else ZERO,
        "date_notification": notification.date() if notification else None,
        "vacations_brut": Decimal(vacations), "heures_payees": minutes_en_heures(int(payees)),
        "nb_etats_liquidatifs": pieces.get("etat_liquidatif", 0),
        "heures_financees": decision.heures_financees if decision else ZERO, "heures_realisees": minutes_en_heures(int(realisees)),
        "nb_emargements_signes": pieces.get("emargement_signe", 0), "nb_etats_signes": etats_signes,
        "dernier_bilan": TypeBilan.PEDAGOGIQUE.value in _bilans_transmis(session, dossier.id)})
    ecarts = []
    if complete.reliquat < 0:
        ecarts.append(f"Dépenses supérieures au montant reçu : reliquat négatif de {montant(-complete.reliquat)}.")
    if non_liquidees:
        ecarts.append(f"{non_liquidees} vacation(s) de séances tenues ne figurent sur aucun état liquidatif.")
    if complete.heures_financees and complete.heures_payees > complete.heures_financees:
        ecarts.append(f"Heures payées ({heures(complete.heures_payees)}) supérieures aux heures financées "
                      f"({heures(complete.heures_financees)}).")
    return complete.model_copy(update={"ecarts": ecarts})


def completer_bilan_financier(session: Session, campagne: Campagne, dossier: Dossier,
                              form: BilanFinancierForm) -> BilanFinancierForm:
    complete = financier_calcule(session, dossier, form)
    erreurs = []
    if complete.reliquat and complete.traitement_reliquat is None:
        erreurs.append(f"« Traitement du reliquat » : le reliquat est de {montant(complete.reliquat)} ; "
                       "indiquez s'il est reversé, reporté ou traité autrement.")
    if complete.autres_depenses and not complete.justification_autres.strip():
        erreurs.append("« Justification des autres dépenses » : justifiez les autres dépenses déclarées.")
    if erreurs:
        raise ErreursSaisie(erreurs)
    return complete


# --- Reading, for the page ------------------------------------------------------------------------


@dataclass
class VueBilans:
    dossier: Dossier
    campagne: Campagne
    chiffres: ChiffresBilan
    financier: BilanFinancierForm  # figures known today, before the head's input
    transmis: dict[str, Bilan]  # by type, once transmitted


def vue_bilans(session: Session, acteur: Acteur, dossier_id: int, aujourdhui: date) -> VueBilans:
    """One atelier's bilans as far as the database knows them (the dossier's scope is checked)."""

    exiger_role(acteur, LECTEURS_FICHE_BILAN, "Consulter le bilan d'un atelier")
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    transmis = {b.type_bilan: b for b in session.exec(select(Bilan).where(Bilan.dossier_id == dossier_id))}
    return VueBilans(dossier=dossier, campagne=session.get(Campagne, dossier.campagne_id),
                     chiffres=chiffres_bilans(session, [dossier_id])[dossier_id],
                     financier=financier_calcule(session, dossier, BilanFinancierForm(date_envoi=aujourdhui)),
                     transmis=transmis)


@dataclass(frozen=True)
class SuiviBilans:
    dossier_id: int
    numero: str
    etablissement: str
    departement: str
    etat: Etat
    pedagogique: date | None
    financier: date | None
    ecarts: int
    a_l_heure: bool | None  # None while a bilan is missing and its deadline has not passed


def suivi_bilans(session: Session, acteur: Acteur, campagne: Campagne, aujourdhui: date) -> list[SuiviBilans]:
    """For each financed dossier in the actor's scope: when each bilan was sent, on time or not, discrepancies flagged."""

    exiger_role(acteur, LECTEURS_BILANS, "Suivre les bilans")
    lignes = [d for d in dossiers_visibles(session, acteur, campagne.id) if d.etat in FINANCES]
    bilans = defaultdict(dict)
    for b in session.exec(select(Bilan).where(Bilan.dossier_id.in_([d.id for d in lignes]))):
        bilans[b.dossier_id][b.type_bilan] = b
    limites = {TypeBilan.PEDAGOGIQUE.value: campagne.date_limite_bilan_pedagogique,
               TypeBilan.FINANCIER.value: campagne.date_limite_bilan_financier}
    suivi = []
    for d in lignes:
        recus = bilans[d.id]
        dates = {t: recus[t].transmis_le if t in recus else None for t in limites}
        en_retard = any((quand or aujourdhui) > limites[t] for t, quand in dates.items())
        complet = all(dates.values())
        suivi.append(SuiviBilans(d.id, d.numero, d.etablissement, d.departement, d.etat,
                                 dates[TypeBilan.PEDAGOGIQUE.value], dates[TypeBilan.FINANCIER.value],
                                 sum(len(b.donnees.get("ecarts", [])) for b in recus.values()),
                                 False if en_retard else True if complet else None))
    return suivi

"""Guards: pure functions from a Situation to a list of Blocage (empty means allowed).

They read nothing from the database: the service loads a Situation first, so every rule of spec §12
is testable on plain objects. An « erreur » blocks the step; an « avertissement » is shown and kept.
"""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any, Literal

import holidays

from forms.atelier import SeanceForm
from forms.base import FormModel
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm
from forms.vocabulaire import QUALIFIES_FLE_FLS, AvisDasen, DecisionComite, Jour, StatutCumul, StatutPresence, TypeBilan
from workflow.format import duree, heures, montant
from workflow.paie import cumul_max_12_mois

Niveau = Literal["erreur", "avertissement"]


@dataclass(frozen=True)
class Blocage:
    message: str
    niveau: Niveau = "erreur"

    @property
    def bloquant(self) -> bool:
        return self.niveau == "erreur"


@dataclass(frozen=True)
class SeanceDuJour:
    """A séance already recorded on the date of the one being recorded: of the same group, or led by one of its
    intervenants (in any atelier); `intervenants` are those of the new séance who lead it too (« Prénom NOM »)."""

    groupe: str
    meme_groupe: bool
    meme_dossier: bool
    heure_debut: time
    heure_fin: time
    intervenants: frozenset[str] = frozenset()


@dataclass
class Situation:
    """Everything a guard may look at, loaded by the service before the step runs."""

    aujourdhui: date
    campagne: Any  # db.models.Campagne
    form: FormModel | None = None
    dossier: Any = None  # db.models.Dossier
    degre: int | None = None
    # Bilans transmitted last year by this school: None when it had no dossier last year.
    bilans_annee_precedente: set[str] | None = None
    # Hours already planned for each intervenant (« NOM Prénom ») in the other dossiers of the campaign.
    heures_intervenants_ailleurs: dict[str, Decimal] = field(default_factory=dict)
    # Ranks already given by the DSDEN to other dossiers of the same département.
    rangs_pris: set[int] = field(default_factory=set)
    # Amounts already granted on each funding line by other decisions of the campaign.
    engage_p104: Decimal = Decimal("0")
    engage_en: Decimal = Decimal("0")
    # Séance (step 8): (date, exact minutes) already done by each of its intervenants, in every atelier…
    vacations: dict[str, list[tuple[date, int]]] = field(default_factory=dict)
    # …their engagement periods, the group's period, the dossier's minutes realised so far and hours financed,
    # the parents of the group by « prénom nom » in lower case with their registration and exit dates, and the
    # séances of the same day that may be this one again or overlap it for one of its intervenants.
    periodes_engagement: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    periode_groupe: tuple[date | None, date | None] = (None, None)
    minutes_dossier: tuple[int, Decimal | None] = (0, None)
    periodes_parents: dict[str, tuple[date, date | None]] = field(default_factory=dict)
    seances_du_jour: list[SeanceDuJour] = field(default_factory=list)
    # Registration (step 6): parents of the campaign with the same names, year of birth and a child's school,
    # as « groupe — établissement » labels, and whether that is this very dossier.
    doublons: list[tuple[str, bool]] = field(default_factory=list)
    # Liquidation (step 9): the vacations about to be paid, and the minutes of the dossier already paid.
    a_liquider: list[Any] = field(default_factory=list)  # workflow.paie.VacationALiquider
    minutes_payees: int = 0
    # Credits (step 4): the amounts the committee decided (P104, EN), None before any decision.
    montants_decides: tuple[Decimal, Decimal] | None = None


def erreurs(blocages: list[Blocage]) -> list[Blocage]:
    return [b for b in blocages if b.bloquant]


# --- Step 0: opening the campaign ---------------------------------------------------------------


def blocages_ouverture_campagne(s: Situation) -> list[Blocage]:
    """A call whose filing deadline is already past could receive no dossier (renewals included)."""
    f = s.form
    if f.date_limite_depot < s.aujourdhui:
        return [Blocage(f"La date limite de dépôt ({f.date_limite_depot:%d/%m/%Y}) est déjà passée : aucun établissement "
                        f"ne pourrait déposer de dossier pour la campagne {f.annee_scolaire}. Choisissez une date limite "
                        "à venir (et un calendrier qui la suit).")]
    return []


# --- Step 1: filing the application -------------------------------------------------------------


def blocages_calendrier_depot(s: Situation) -> list[Blocage]:
    c = s.campagne
    if s.aujourdhui < c.date_ouverture:
        return [Blocage(f"L'appel à projets n'est pas encore ouvert (ouverture le {c.date_ouverture:%d/%m/%Y}).")]
    limite = max(c.date_limite_depot, c.depot_prolonge_jusqu_au or c.date_limite_depot)
    if s.aujourdhui > limite:
        return [Blocage(f"La date limite de dépôt ({limite:%d/%m/%Y}) est passée : seul le pilote académique "
                        "peut rouvrir le dépôt.")]
    return []


def blocages_groupes(s: Situation) -> list[Blocage]:
    f: CandidatureForm = s.form
    c = s.campagne
    out: list[Blocage] = []
    for g in f.groupes:
        nom = f"Groupe « {g.libelle} »"
        if g.effectif_prevu < c.taille_groupe_min:
            out.append(Blocage(f"{nom} : effectif prévu {g.effectif_prevu}, le minimum est de {c.taille_groupe_min} parents."))
        elif g.effectif_prevu > c.taille_groupe_max:
            out.append(Blocage(f"{nom} : effectif prévu {g.effectif_prevu}, au-delà des {c.taille_groupe_max} parents conseillés.", "avertissement"))
        if g.heures_prevues < c.heures_min_par_groupe:
            out.append(Blocage(f"{nom} : {g.heures_prevues} h prévues, le minimum est de {c.heures_min_par_groupe} h."))
        elif g.heures_prevues > c.heures_max_par_groupe:
            out.append(Blocage(f"{nom} : {g.heures_prevues} h prévues, au-delà du maximum de {c.heures_max_par_groupe} h.",
                               "erreur" if c.heures_max_bloquant else "avertissement"))
        if g.date_debut < c.date_debut_ateliers_min:
            out.append(Blocage(f"{nom} : début le {g.date_debut:%d/%m/%Y}, avant la date d'ouverture des ateliers "
                               f"({c.date_debut_ateliers_min:%d/%m/%Y}).", "avertissement"))
        if g.date_fin > c.date_fin_ateliers:
            out.append(Blocage(f"{nom} : fin le {g.date_fin:%d/%m/%Y}, après la fin des ateliers ({c.date_fin_ateliers:%d/%m/%Y})."))
        if any(cr.jour in (Jour.SAMEDI, Jour.DIMANCHE) for cr in g.creneaux):
            out.append(Blocage(f"{nom} : un créneau tombe un week-end ; les ateliers ont lieu en semaine.", "avertissement"))
        semaines = max(1, (g.date_fin - g.date_debut).days // 7)
        if g.heures_prevues / semaines > 6:
            out.append(Blocage(f"{nom} : plus de 6 h par semaine en moyenne.", "avertissement"))
    return out


def blocages_programme(s: Situation) -> list[Blocage]:
    f: CandidatureForm = s.form
    axes = (("programme_axe_langue", "langue française"), ("programme_axe_ecole", "fonctionnement de l'École"),
            ("programme_axe_valeurs", "valeurs de la République"))
    return [Blocage(f"Le programme de l'axe « {nom} » est obligatoire : les trois axes doivent être traités.")
            for champ, nom in axes if not getattr(f, champ).strip()]


def blocages_intervenants(s: Situation) -> list[Blocage]:
    f: CandidatureForm = s.form
    out: list[Blocage] = []
    if not any(i.statut in QUALIFIES_FLE_FLS or i.qualification_fle_fls for i in f.intervenants):
        out.append(Blocage("Aucun intervenant n'est qualifié FLE/FLS ou UPE2A (critère de priorité).", "avertissement"))
    plafond = s.campagne.plafond_heures_vacation_12_mois
    par_personne: dict[str, Decimal] = {}
    for i in f.intervenants:
        cle = f"{i.nom.upper()} {i.prenom}"
        par_personne[cle] = par_personne.get(cle, Decimal("0")) + i.heures_prevues
    for cle, h in par_personne.items():
        total = h + s.heures_intervenants_ailleurs.get(cle, Decimal("0"))
        if total > plafond:
            out.append(Blocage(f"{cle} : {total} h de vacation prévues dans la campagne, au-delà du plafond de {plafond} h sur 12 mois."))
    return out


def blocages_engagements(s: Situation) -> list[Blocage]:
    f: CandidatureForm = s.form
    out: list[Blocage] = []
    if not f.inscrit_projet_etablissement:
        out.append(Blocage("L'action doit être inscrite au projet d'école ou d'établissement (case à cocher)."))
    if s.degre == 2 and f.date_ca is None:
        out.append(Blocage("Pour un EPLE, indiquez la date du conseil d'administration qui approuve l'action.", "avertissement"))
    if f.renouvellement and s.bilans_annee_precedente is not None and not bilans_complets(s.bilans_annee_precedente):
        out.append(Blocage("Renouvellement : les deux bilans de l'an dernier ne sont pas transmis ; le dossier ne pourra "
                           "être retenu sans eux (sauf dérogation du pilote).", "avertissement"))
    return out


def blocages_rouverture(s: Situation) -> list[Blocage]:
    if s.form.jusqu_au < s.aujourdhui:
        return [Blocage("La nouvelle date limite de dépôt doit être aujourd'hui ou plus tard.")]
    if s.form.jusqu_au >= s.campagne.date_copil:
        return [Blocage(f"Le dépôt ne peut rester ouvert au-delà du comité de pilotage ({s.campagne.date_copil:%d/%m/%Y}).",
                        "avertissement")]
    return []


# --- Step 2: DASEN opinion ----------------------------------------------------------------------


def blocages_avis(s: Situation) -> list[Blocage]:
    f: AvisForm = s.form
    out: list[Blocage] = []
    if f.priorite_departementale is not None and f.priorite_departementale in s.rangs_pris:
        out.append(Blocage(f"Le rang {f.priorite_departementale} est déjà attribué à un autre dossier du département."))
    if s.aujourdhui > s.campagne.date_limite_avis_dasen:
        out.append(Blocage(f"Avis rendu après la date limite du {s.campagne.date_limite_avis_dasen:%d/%m/%Y}.", "avertissement"))
    if f.avis == AvisDasen.DEFAVORABLE and f.priorite_departementale is not None:
        out.append(Blocage("Un dossier à l'avis défavorable ne reçoit pas de rang départemental."))
    return out


# --- Step 3: committee decision -----------------------------------------------------------------


def bilans_complets(bilans: set[str]) -> bool:
    return {TypeBilan.PEDAGOGIQUE.value, TypeBilan.FINANCIER.value} <= bilans


def blocages_decision(s: Situation) -> list[Blocage]:
    f: DecisionForm = s.form
    c = s.campagne
    out: list[Blocage] = []
    retenu = f.decision in (DecisionComite.RETENU, DecisionComite.RETENU_SOUS_CONDITIONS)
    if retenu and s.bilans_annee_precedente is not None and not bilans_complets(s.bilans_annee_precedente):
        if not f.derogation_bilans_motif:
            out.append(Blocage("Renouvellement sans les deux bilans de l'an dernier : le dossier ne peut être retenu "
                               "sans une dérogation motivée du pilote."))
    if retenu and s.dossier is not None and f.heures_financees > s.dossier.heures_total:
        out.append(Blocage(f"Les heures financées ({f.heures_financees}) dépassent les heures demandées ({s.dossier.heures_total})."))
    if s.engage_p104 + f.montant_p104 > c.budget_p104:
        reste = c.budget_p104 - s.engage_p104
        out.append(Blocage(f"Enveloppe programme 104 dépassée : il reste {reste} €, la décision en demande {f.montant_p104} €."))
    if s.engage_en + f.montant_en > c.budget_en:
        reste = c.budget_en - s.engage_en
        out.append(Blocage(f"Enveloppe Éducation nationale dépassée : il reste {reste} €, la décision en demande {f.montant_en} €."))
    return out


def blocages_notification_credits(s: Situation) -> list[Blocage]:
    """The notification states the amounts the committee decided, to the cent (the bilan financier starts from them)."""
    if s.montants_decides is None:
        return [Blocage("Aucune décision du comité n'est enregistrée pour ce dossier : rien à notifier.")]
    out = []
    for libelle_ligne, saisi, decide in (("programme 104", s.form.montant_p104, s.montants_decides[0]),
                                         ("Éducation nationale", s.form.montant_en, s.montants_decides[1])):
        if saisi != decide:
            out.append(Blocage(f"Montant {libelle_ligne} : la notification doit reprendre le montant décidé par le comité, "
                               f"{montant(decide)} (saisi : {montant(saisi)})."))
    return out


def blocages_proces_verbal(s: Situation) -> list[Blocage]:
    if not s.form.decisions:
        return [Blocage("Aucune décision nouvelle à consigner : le procès-verbal reprend les décisions prises depuis le précédent.")]
    return []


# --- Closing ------------------------------------------------------------------------------------


def ecarts_du_bilan(s: Situation) -> list[Blocage]:
    """A bilan goes through with its discrepancies, each flagged to the head now and kept for the DAEPS."""
    return [Blocage(f"Écart signalé : {ecart}", "avertissement") for ecart in s.form.ecarts]


# --- Step 8: séances ----------------------------------------------------------------------------

ALERTE_PLAFOND = Decimal("20")  # hours below the 12-month cap from which a warning is shown (230 of 250)


def blocages_seance(s: Situation) -> list[Blocage]:
    f: SeanceForm = s.form
    jour, c = f.date_seance, s.campagne
    out: list[Blocage] = []
    if jour > s.aujourdhui:
        out.append(Blocage(f"« Date de la séance » : le {jour:%d/%m/%Y} est à venir ; une séance s'enregistre une fois faite."))
    if jour.weekday() >= 5:
        out.append(Blocage(f"Le {jour:%d/%m/%Y} est un week-end : les ateliers ont lieu en semaine.", "avertissement"))
    ferie = holidays.France(years=jour.year, language="fr").get(jour)
    if ferie:
        out.append(Blocage(f"Le {jour:%d/%m/%Y} est un jour férié ({ferie}).", "avertissement"))
    debut = s.periode_groupe[0] or c.date_debut_ateliers_min
    fin = s.periode_groupe[1] or c.date_fin_ateliers
    if not debut <= jour <= fin:
        out.append(Blocage(f"Le {jour:%d/%m/%Y} est hors de la période de l'atelier ({debut:%d/%m/%Y} – {fin:%d/%m/%Y}).",
                           "avertissement"))
    for nom, (engage_du, engage_au) in s.periodes_engagement.items():
        if (engage_du and jour < engage_du) or (engage_au and jour > engage_au):
            out.append(Blocage(f"{nom} n'est pas engagé(e) le {jour:%d/%m/%Y} (engagement du "
                               f"{engage_du:%d/%m/%Y} au {engage_au:%d/%m/%Y}) : ces heures ne pourraient pas être payées."))
    # Compared in exact minutes: the cap and the financed hours are whole or decimal hours (× 60 is exact).
    plafond = c.plafond_heures_vacation_12_mois
    for nom, faites in s.vacations.items():
        cumul, au = cumul_max_12_mois([*faites, (jour, f.minutes)])
        if cumul > plafond * 60:
            out.append(Blocage(f"{nom} dépasserait le plafond de {heures(plafond)} h de vacation sur 12 mois glissants "
                               f"({duree(cumul)} au {au:%d/%m/%Y}, tous ateliers confondus) : la séance est refusée."))
        elif cumul >= (plafond - ALERTE_PLAFOND) * 60:
            out.append(Blocage(f"{nom} atteint {duree(cumul)} de vacation sur 12 mois glissants (plafond "
                               f"{heures(plafond)} h).", "avertissement"))
    realisees, financees = s.minutes_dossier
    if financees:
        apres = realisees + f.minutes
        if apres > financees * 60:
            out.append(Blocage(f"Heures réalisées : {duree(apres)} pour {heures(financees)} h financées ; les heures "
                               "au-delà ne sont pas payables.", "avertissement"))
        elif apres >= financees * 60 * Decimal("0.9"):
            out.append(Blocage(f"Heures réalisées : {duree(apres)}, soit 90 % ou plus des {heures(financees)} h "
                               "financées.", "avertissement"))
    out += _seances_qui_se_chevauchent(s)
    for p in f.presences:
        periode = s.periodes_parents.get(f"{p.prenom} {p.nom}".lower())
        if periode is None or p.statut == StatutPresence.ABSENT:
            continue  # an unknown parent is refused by the step itself; an absence is true of anyone
        inscription, sortie = periode
        note = "sa présence ne peut pas être cochée" if p.statut == StatutPresence.PRESENT else \
            "son absence excusée ne peut pas être notée"
        if jour < inscription:
            out.append(Blocage(f"« Présences » : {p.prenom} {p.nom} n'est inscrit(e) qu'à partir du "
                               f"{inscription:%d/%m/%Y} ; {note} le {jour:%d/%m/%Y}."))
        elif sortie and sortie < jour:
            out.append(Blocage(f"« Présences » : {p.prenom} {p.nom} a quitté l'atelier le {sortie:%d/%m/%Y} ; {note}."))
    return out


def _seances_qui_se_chevauchent(s: Situation) -> list[Blocage]:
    """The same séance recorded twice would be paid twice, and nobody leads two séances at the same time: a séance of
    the same group, or led by one of the same intervenants, on the same date with overlapping times is refused."""
    f: SeanceForm = s.form
    out: list[Blocage] = []
    for autre in s.seances_du_jour:
        if not (autre.heure_debut < f.heure_fin and f.heure_debut < autre.heure_fin):
            continue
        horaire = f"le {f.date_seance:%d/%m/%Y} de {autre.heure_debut:%H:%M} à {autre.heure_fin:%H:%M}"
        if autre.meme_groupe:
            out.append(Blocage(f"Cette séance est déjà enregistrée : le groupe « {autre.groupe} » a une séance {horaire}. "
                               "Une séance ne s'enregistre qu'une fois (ses heures seraient payées deux fois) ; "
                               "vérifiez la date et les horaires."))
            continue
        ou = f"groupe « {autre.groupe} »" if autre.meme_dossier else "dans un autre atelier"
        for nom in sorted(autre.intervenants):
            out.append(Blocage(f"{nom} anime déjà une séance {horaire} ({ou}) : une même personne ne peut pas "
                               "animer deux séances en même temps."))
    return out


# --- Step 9: paying the vacations ---------------------------------------------------------------


def blocages_liquidation(s: Situation) -> list[Blocage]:
    out: list[Blocage] = []
    par_personne: dict[str, list] = {}
    for v in s.a_liquider:
        par_personne.setdefault(v.intervenant, []).append(v)
    for nom, vacations in par_personne.items():
        non_certifiees = [v.date_seance for v in vacations if not v.certifiee]
        if non_certifiees:
            out.append(Blocage(f"{nom} : le service fait des séances du " + ", ".join(f"{j:%d/%m}" for j in non_certifiees)
                               + " n'est pas certifié par le porteur ; elles ne peuvent pas être payées."))
        premiere = vacations[0]
        if premiere.agent_public and premiere.statut_cumul not in (StatutCumul.NON_REQUIS, StatutCumul.ACCORDE):
            out.append(Blocage(f"{nom} est agent public : l'autorisation de cumul d'activités n'est pas accordée "
                               f"(« {premiere.statut_cumul.replace('_', ' ')} ») ; aucun paiement avant elle."))
        if premiere.agent_public and premiere.statut_cumul == StatutCumul.ACCORDE:
            hors = [v.date_seance for v in vacations if (v.cumul_du and v.date_seance < v.cumul_du)
                    or (v.cumul_au and v.date_seance > v.cumul_au)]
            if hors:
                out.append(Blocage(f"{nom} : l'autorisation de cumul ne couvre pas les séances du "
                                   + ", ".join(f"{j:%d/%m}" for j in hors) + " ; elles ne peuvent pas être payées."))
        if premiere.agent_public and not premiere.atteste_hors_service:
            out.append(Blocage(f"{nom} n'a pas attesté effectuer ces heures en dehors de ses obligations de service."))
    financees = s.minutes_dossier[1]
    apres = s.minutes_payees + sum(v.minutes for v in s.a_liquider)
    if financees is not None and apres > financees * 60:
        out.append(Blocage(f"Heures payées : {duree(apres)} pour {heures(financees)} h financées ; "
                           "les heures au-delà ne sont pas payables."))
    return out


# --- Step 6: registering parents ----------------------------------------------------------------


def blocages_inscription(s: Situation) -> list[Blocage]:
    f = s.form
    out = []
    for ou, meme_dossier in s.doublons:
        if meme_dossier:
            out.append(Blocage(f"{f.prenom} {f.nom} est déjà inscrit(e) dans cet atelier ({ou}) : un parent ne suit "
                               "qu'un groupe à la fois."))
        else:
            out.append(Blocage(f"{f.prenom} {f.nom} semble déjà inscrit(e) dans un autre atelier ({ou}).", "avertissement"))
    return out

"""Guards of the selection (steps 0–4): pure functions of a Situation (see workflow.noyau.regles)."""

from decimal import Decimal, InvalidOperation

from forms.base import nombre_francais
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm
from forms.vocabulaire import QUALIFIES_FLE_FLS, AvisDasen, DecisionComite, Jour, TypeBilan
from workflow.noyau.format import heures, montant
from workflow.noyau.regles import Blocage, Situation, limite_de_depot


def blocages_ouverture_campagne(s: Situation) -> list[Blocage]:
    """A call whose filing deadline is already past could receive no dossier (renewals included)."""
    f = s.form
    if f.date_limite_depot < s.aujourdhui:
        return [Blocage(f"La date limite de dépôt ({f.date_limite_depot:%d/%m/%Y}) est déjà passée : aucun établissement "
                        f"ne pourrait déposer de dossier pour la campagne {f.annee_scolaire}. Choisissez une date limite "
                        "à venir (et un calendrier qui la suit).")]
    return []

def blocages_calendrier_depot(s: Situation) -> list[Blocage]:
    c = s.campagne
    if s.aujourdhui < c.date_ouverture:
        return [Blocage(f"L'appel à projets n'est pas encore ouvert (ouverture le {c.date_ouverture:%d/%m/%Y}).")]
    limite = limite_de_depot(c)
    if s.aujourdhui > limite:
        return [Blocage(f"La date limite de dépôt ({limite:%d/%m/%Y}) est passée : seul le pilote académique "
                        "peut rouvrir le dépôt.")]
    return []

def blocages_groupes(s: Situation) -> list[Blocage]:
    """A group's size and hours against the campaign's thresholds and the rules of the académie's profile: the stricter
    minimum holds, and a maximum of the académie's own (Montpellier: 120 h) is an error, the campaign's a warning."""
    f: CandidatureForm = s.form
    c = s.campagne
    p = s.profil
    de_l_academie = f"le profil de l'académie de {s.academie}" if s.academie else "le profil de l'académie"
    heures_min, taille_min = c.heures_min_par_groupe, c.taille_groupe_min
    source_heures = source_taille = ""
    max_academie = None
    if p is not None:
        if p.heures_min_par_groupe >= heures_min:
            heures_min, source_heures = p.heures_min_par_groupe, f" selon {de_l_academie}"
        if p.taille_groupe_min >= taille_min:
            taille_min, source_taille = p.taille_groupe_min, f" selon {de_l_academie}"
        max_academie = p.heures_max_par_groupe
    out: list[Blocage] = []
    for g in f.groupes:
        nom = f"Groupe « {g.libelle} »"
        if g.effectif_prevu < taille_min:
            out.append(Blocage(f"{nom} : effectif prévu {g.effectif_prevu}, le minimum est de {taille_min} parents{source_taille}."))
        elif g.effectif_prevu > c.taille_groupe_max:
            out.append(Blocage(f"{nom} : effectif prévu {g.effectif_prevu}, au-delà des {c.taille_groupe_max} parents conseillés.", "avertissement"))
        if g.heures_prevues < heures_min:
            out.append(Blocage(f"{nom} : {heures(g.heures_prevues)} h prévues, le minimum est de {heures(heures_min)} h"
                               f"{source_heures}."))
        elif max_academie is not None and g.heures_prevues > max_academie:
            out.append(Blocage(f"{nom} : {heures(g.heures_prevues)} h prévues, au-delà du maximum de {heures(max_academie)} h "
                               f"que fixe {de_l_academie}."))
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

def _euros_saisis(texte) -> Decimal:
    """An amount as typed in the committee's grid (« 2 500,00 »); an unreadable cell counts 0 (the decision itself,
    once sent, says what is wrong with it)."""
    try:
        return Decimal(nombre_francais(str(texte or "0")))
    except InvalidOperation:
        return Decimal("0")

def reste_des_enveloppes(campagne, engage_p104: Decimal, engage_en: Decimal,
                         saisis: list[tuple[object, object]]) -> tuple[Decimal, Decimal]:
    """What the two envelopes (programme 104, Éducation nationale) keep once the decisions typed, as (P104, EN)
    amounts, are added to those recorded; a negative rest is the envelope blocages_decision refuses to exceed."""
    p104 = engage_p104 + sum((_euros_saisis(a) for a, _ in saisis), Decimal(0))
    en = engage_en + sum((_euros_saisis(b) for _, b in saisis), Decimal(0))
    return campagne.budget_p104 - p104, campagne.budget_en - en

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

"""Guards of the atelier's year (steps 5–10): pure functions of a Situation (see workflow.noyau.regles)."""

from decimal import Decimal

import holidays

from forms.atelier import SeanceForm
from forms.vocabulaire import StatutCumul, StatutPresence
from workflow.noyau.format import duree, heures
from workflow.noyau.paie import cumul_max_12_mois
from workflow.noyau.regles import Blocage, Situation

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

def blocages_correction(s: Situation) -> list[Blocage]:
    """A séance is corrected or cancelled until it is paid: once its hours are in an état liquidatif, never."""
    f = s.form
    if s.seance_liquidee_le is not None:
        return [Blocage(f"La séance du {f.date_seance:%d/%m/%Y} est liquidée (état liquidatif du "
                        f"{s.seance_liquidee_le:%d/%m/%Y}) : ses heures sont payées, elle ne peut plus être corrigée ni "
                        "annulée. Signalez l'erreur au service payeur, qui la régularise sur un prochain état.")]
    if s.seance_annulee:
        return [Blocage(f"La séance du {f.date_seance:%d/%m/%Y} est annulée : elle ne peut plus être corrigée ni annulée "
                        "à nouveau. Si elle a bien eu lieu, enregistrez-la comme une nouvelle séance.")]
    return []

def blocages_seance_corrigee(s: Situation) -> list[Blocage]:
    """A corrected séance passes the checks of a recorded one (cap, overlaps, parents' periods), once it may be corrected."""
    return blocages_correction(s) or blocages_seance(s)

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

"""The CASNAV's pool. Longer than most pages: it draws two sides of one exchange, the CASNAV's (requests to answer,
the pool, a new candidate) and a school's (the profile proposed, accepted or declined, a new request)."""

import streamlit as st

from forms.vivier import AcceptationForm, CandidatForm, DemandeProfilForm
from forms.vocabulaire import StatutDemandeProfil
from infra.settings import aujourdhui
from pages._commun.actions import ecrire
from pages._commun.atelier import choisir_atelier
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import page, session
from workflow.atelier import vivier, vues

moi = page()
st.title("Vivier du CASNAV")


# Each pool action's name, and what it writes in the audit log: after an incident the page re-reads whether it went through.
TRACES = {vivier.proposer: ("Proposer ce profil", "profil_propose"),
          vivier.ajouter_candidat: ("Inscrire le candidat au vivier", "vivier_candidat"),
          vivier.accepter: ("Engager l'intervenant proposé", "profil_accepte"),
          vivier.decliner: ("Décliner le profil proposé", "profil_decline"),
          vivier.demander_profil: ("Demander un profil au CASNAV", "demande_profil")}


def agir(operation, message: str, **arguments) -> None:
    """Run a pool action; a refusal is said in French and keeps what was typed."""
    libelle, trace = TRACES[operation]
    ecrire(libelle, lambda s: operation(s, moi, **arguments), journal_action=trace, succes=message)


def fiche(c: vivier.Candidat) -> str:
    return (f"**{c.nom}** — {c.statut} ; {', '.join(c.qualifications)} ; départements {', '.join(c.departements)}"
            + (f" ; {c.disponibilites}" if c.disponibilites else ""))


with session() as s:
    demandes = vivier.demandes(s, moi)

if moi.role in vivier.TENEURS_DU_VIVIER:
    a_traiter = [d for d in demandes if d.statut == StatutDemandeProfil.OUVERTE]
    st.header(f"Demandes des écoles ({len(a_traiter)} en attente)")
    for d in demandes:
        with st.container(border=True):
            st.markdown(f"**{d.etablissement}** — {d.groupe} — {StatutDemandeProfil(d.statut).libelle}")
            st.caption(f"Qualification souhaitée : {d.qualification} · {d.disponibilites}" + (f" · {d.message}" if d.message else ""))
            if d.reponse:
                st.warning(f"Profil précédent décliné : {d.reponse}")
            if d.propose:
                st.markdown("Proposé : " + fiche(d.propose))
            if d.statut == StatutDemandeProfil.OUVERTE:
                with session() as s:
                    possibles = vivier.candidats(s, moi, departement=d.departement)
                if not possibles:
                    st.caption(f"Aucun candidat du vivier n'intervient dans le département {d.departement}.")
                else:
                    choix = st.selectbox("Candidat", possibles, format_func=lambda c: f"{c.nom} — {', '.join(c.qualifications)}",
                                         key=f"vivier_choix_{d.id}")
                    if st.button("Proposer ce profil", key=f"vivier_proposer_{d.id}", type="primary"):
                        agir(vivier.proposer, "Profil proposé à l'école.", demande_id=d.id, intervenant_id=choix.id)
    st.header("Candidats du vivier")
    with session() as s:
        tous = vivier.candidats(s, moi)
    if tous:
        st.dataframe([{"Candidat": c.nom, "Statut": c.statut, "Qualifications": ", ".join(c.qualifications),
                       "Départements": ", ".join(c.departements), "Disponibilités": c.disponibilites} for c in tous],
                     hide_index=True, width="stretch")
    with st.expander("Inscrire un candidat au vivier"):
        with st.form("vivier_candidat"):
            donnees = champs_formulaire(CandidatForm, "vivier_candidat", {})
            if st.form_submit_button("Inscrire au vivier", type="primary"):
                agir(vivier.ajouter_candidat, "Candidat inscrit au vivier.", donnees=donnees)
else:
    st.caption("Votre école n'a pas d'intervenant ? Le CASNAV propose un profil de son vivier ; une fois accepté, "
               "l'intervenant est engagé (lettre d'engagement produite).")
    for d in demandes:
        with st.container(border=True):
            st.markdown(f"**{d.groupe}** — {d.qualification} — {StatutDemandeProfil(d.statut).libelle}")
            if d.propose and d.statut == StatutDemandeProfil.PROPOSEE:
                st.markdown("Le CASNAV propose : " + fiche(d.propose))
                with st.form(f"vivier_accepter_{d.id}"):
                    engagement = champs_formulaire(AcceptationForm, f"vivier_accepter_{d.id}", {"date_debut": aujourdhui()})
                    if st.form_submit_button("Accepter et engager", type="primary"):
                        agir(vivier.accepter, "Intervenant engagé : la lettre d'engagement est produite.", demande_id=d.id,
                             donnees=engagement)
                motif = st.text_input("Motif si ce profil ne convient pas", key=f"vivier_motif_{d.id}")
                if st.button("Décliner", key=f"vivier_decliner_{d.id}"):
                    agir(vivier.decliner, "Le CASNAV est prévenu ; la demande est de nouveau ouverte.", demande_id=d.id,
                         motif=motif)
    choix_atelier = choisir_atelier(moi, "vivier_dossier")
    with session() as s:
        groupes = [g.libelle for g in vues.suivi(s, moi, choix_atelier.id).groupes]
    with st.form("vivier_demande"):
        st.markdown("**Demander un profil au CASNAV**")
        donnees = champs_formulaire(DemandeProfilForm, "vivier_demande", {"groupe": groupes[0] if groupes else ""},
                                    choix={"groupes": groupes})
        if st.form_submit_button("Envoyer la demande", type="primary"):
            agir(vivier.demander_profil, "Demande envoyée au CASNAV.", dossier_id=choix_atelier.id, donnees=donnees)

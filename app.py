"""Router only: page config, login gate (local passwords, or the State's identity provider) and session expiry,
role-based navigation, logout."""

from datetime import UTC, datetime

import streamlit as st
from streamlit.commands import navigation as navigation_streamlit

from forms.vocabulaire import Role
from infra.settings import get_settings
from pages._commun import apparence, oidc
from pages._commun.tour import message_avant_la_page
from workflow.automatismes.planification import demarrer_dans_l_application
from workflow.navigation import PAGES, PAGES_D_INFORMATION, PAGES_PUBLIQUES, pages_du_role
from workflow.noyau import incidents
from workflow.noyau.auth import session_expiree

st.set_page_config(page_title=apparence.NOM_DU_SERVICE, page_icon=":material/school:", layout="wide")


@st.cache_resource(show_spinner=False)
def planificateur():
    """Started once per process, at the first page served: a rerun finds it in the cache (None when another process
    runs the tasks, setting OEPRE_PLANIFICATEUR)."""
    return demarrer_dans_l_application()


planificateur()
etat = st.session_state


def _adresse_inconnue(_contexte) -> None:
    """Streamlit's own answer to an unknown address is an English dialog (« Page not found »); st.navigation then runs
    the default page, which says it in French (pinned Streamlit: tests/navigateur/test_navigateur_liens.py checks it)."""
    etat["adresse_inconnue"] = True


navigation_streamlit.send_page_not_found = _adresse_inconnue
maintenant = datetime.now(UTC)

if etat.get("acteur") and session_expiree(etat["derniere_activite"], maintenant, get_settings().session_minutes):
    par_oidc = etat.get("par_oidc", False)
    etat.clear()
    etat["message_connexion"] = oidc.MESSAGE_EXPIRATION
    oidc.apres_expiration(par_oidc)

# A sign-in through the State's identity provider, when configured: its cookie, mapped to the account of its e-mail.
acteur = etat.get("acteur") or oidc.acteur_du_fournisseur(maintenant)
if acteur is None:
    # A link to any page (/dossier?id=…, /seances, a page left when the session expired) shows the sign-in page under
    # that page's own address: after signing in, the rerun opens the page of the same address, query included.
    demandables = [st.Page("pages/connexion.py", title="Connexion", url_path=p.url, visibility="hidden")
                   for p in PAGES if p.url != "carte"]
    navigation = st.navigation([st.Page("pages/connexion.py", title="Connexion", icon=":material/login:",
                                        url_path="connexion", default=True),
                                st.Page("pages/carte.py", title="Carte des ateliers", icon=":material/map:", url_path="carte"),
                                *(st.Page(p.fichier, title=p.titre, icon=p.icone, url_path=p.url, visibility="hidden")
                                  for p in PAGES_PUBLIQUES),
                                *demandables])
    if navigation.url_path in ("", "carte", *(p.url for p in PAGES_PUBLIQUES)):  # "" : the default page, the sign-in page itself
        etat.pop("page_demandee", None)
    else:
        etat["page_demandee"] = navigation.url_path
else:
    etat["derniere_activite"] = maintenant
    demandee = etat.pop("page_demandee", None)
    if demandee and demandee not in {p.url for p in pages_du_role(acteur.role)}:
        message_avant_la_page("info", "La page demandée n'est pas ouverte à votre rôle : voici votre tableau de bord.")
    pages = pages_du_role(acteur.role)
    # The menu is the project's own (apparence.menu: a heading per section, its links), Streamlit's hidden: its grouped
    # list is not valid list markup (axe: list, listitem) and its label is English.
    navigation = st.navigation([st.Page(p.fichier, title=p.titre, icon=p.icone, url_path=p.url, default=i == 0)
                                for i, p in enumerate([*pages, *PAGES_D_INFORMATION])], position="hidden")
    with st.sidebar:
        st.markdown(f"**{acteur.nom}**  \n{Role(acteur.role).libelle}")
        if st.button("Se déconnecter", icon=":material/logout:", key="deconnexion"):
            oidc.se_deconnecter()
        apparence.menu(pages)
st.set_page_config(page_title=apparence.titre_du_document(navigation.title))  # one title per page (RGAA 8.6)
apparence.appliquer(navigation.title)
if etat.pop("adresse_inconnue", False):
    st.warning("Cette adresse ne correspond à aucune page du service : voici "
               + ("la page de connexion." if acteur is None else "votre tableau de bord."), icon=":material/link_off:")
corps = apparence.cadre()
try:
    with corps:
        navigation.run()
except Exception as exc:  # noqa: BLE001 - the last net: a page that fails to show itself says so in French
    incidents.consigner(f"la page « {navigation.title} » n'a pas pu s'afficher")
    st.error(f"Cette page n'a pas pu s'afficher : {incidents.cause(exc)}. L'incident est enregistré pour l'administrateur ; "
             "rechargez la page dans un instant.", icon=":material/report:")

"""The « déclaration d'accessibilité » (RGAA 4.1, its model's headings), written from the last measured audit
(conformite.accessibilite) and the publisher (conformite.editeur): never a hand-typed figure. Markdown sections, drawn
by pages/accessibilite.py."""

from dataclasses import dataclass
from datetime import date

from conformite.accessibilite import Audit
from conformite.editeur import Editeur
from workflow.noyau.format import heures  # a French decimal, as the indicators print their rates

# What only Streamlit could fix, worked around here, and said in the statement (issue 18 item 1).
LIMITES_DU_SOCLE = (
    "Les tableaux modifiables (grilles de saisie des groupes, des intervenants, des décisions) sont dessinés par "
    "Streamlit dans un canevas : la bibliothèque les double d'une table lue par les lecteurs d'écran, et la saisie au "
    "clavier s'y fait par les flèches et la touche Entrée ; leur contenu est aussi dans les documents produits. Cette "
    "table donne le code d'une valeur choisie dans une liste (« ct_evs ») : le service y écrit son libellé.",
    "Quelques libellés de contrôles propres à Streamlit sont en anglais dans le code de la bibliothèque ; le service "
    "les traduit dans la page (bouton du mot de passe, menu, plein écran, téléchargement d'un tableau).",
    "La page servie par Streamlit se déclare en anglais (lang=\"en\") : le script du service la déclare en français et "
    "lui donne son titre dès son affichage, avant toute lecture par un lecteur d'écran.",
)
RECOURS = (
    "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du "
    "service, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en "
    "droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :",
    "- par le formulaire en ligne du Défenseur des droits (www.defenseurdesdroits.fr) ;\n"
    "- en contactant le délégué du Défenseur des droits dans votre région ;\n"
    "- par téléphone : 09 69 39 00 00 ;\n"
    "- par courrier, gratuit et sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
)


@dataclass(frozen=True)
class Section:
    titre: str
    paragraphes: tuple[str, ...]


def etat_de_conformite(audit: Audit | None) -> str:
    """RGAA's three states: « totalement conforme » needs a complete audit, which an automated scan is not; at least
    half the rules met is « partiellement conforme »; below, or never audited, « non conforme »."""
    if audit is None or audit.taux < 50:
        return "non conforme"
    return "partiellement conforme"


def _date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def declaration(audit: Audit | None, editeur: Editeur, adresse: str) -> list[Section]:
    etat = etat_de_conformite(audit)
    sections = [
        Section("Engagement", (
            f"Le {editeur.rectorat} s'engage à rendre ses services numériques accessibles, conformément à l'article 47 "
            "de la loi n° 2005-102 du 11 février 2005.",
            f"Cette déclaration d'accessibilité s'applique au service OEPRE de l'académie ({adresse}).")),
        Section("État de conformité", (
            f"Le service OEPRE est **{etat}** avec le référentiel général d'amélioration de l'accessibilité (RGAA), "
            "version 4.1, au vu de l'audit décrit ci-dessous.",)),
    ]
    if audit is None:
        sections.append(Section("Résultats des tests", ("Aucun audit n'a encore été mesuré.",)))
    else:
        bloquants = len(audit.bloquants())
        sections.append(Section("Résultats des tests", (
            f"L'audit automatisé du {_date(audit.date)} ({audit.outil}, règles WCAG 2.0 et 2.1 des niveaux A et AA) a "
            f"porté sur {audit.pages} pages : chaque page de chaque rôle et les pages publiques.",
            f"**{heures(audit.taux)} %** des règles applicables sont respectées sur toutes les pages "
            f"({len(audit.regles_respectees)} sur {len(audit.regles_applicables)}) ; "
            f"{bloquants} manquement(s) critique(s) ou grave(s).",
            "Un audit automatisé ne vérifie qu'une partie des critères du RGAA : un audit complet des 106 critères par "
            "un auditeur reste à mener.")))
        manquements = [f"- {m.aide} (règle `{m.regle}`, impact {m.impact_fr}, {len(m.pages)} page(s))"
                       for m in audit.manquements]
        sections.append(Section("Contenus non accessibles", (
            "Non-conformités relevées par l'audit :",
            "\n".join(manquements) if manquements else "- aucune.",
            "Limites de la bibliothèque d'interface (Streamlit), contournées par le service :",
            "\n".join(f"- {t}" for t in LIMITES_DU_SOCLE))))
    sections += [
        Section("Dérogations pour charge disproportionnée", ("Aucune.",)),
        Section("Contenus non soumis à l'obligation d'accessibilité", (
            "Les documents déposés par les personnes (scans de documents signés à la main) sont des images : le "
            "document produit par le service dont ils sont la copie signée est un PDF balisé, en français.",)),
        Section("Établissement de cette déclaration", (
            f"Cette déclaration a été établie le {_date(audit.date) if audit else '—'}, à partir de l'audit ci-dessus.",
            "Technologies utilisées : HTML5, CSS, JavaScript (Streamlit). Environnement de test : Chromium sans "
            "interface, piloté par Playwright, avec axe-core ; parcours au clavier seul.")),
        Section("Retour d'information et contact", (
            "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du "
            "service pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme :",
            f"- par courriel : {editeur.contact}" if editeur.contact
            else f"- en écrivant au {editeur.rectorat}, {editeur.ville_rectorat}.")),
        Section("Voies de recours", RECOURS),
    ]
    return sections

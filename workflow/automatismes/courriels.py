"""The French e-mails the service sends, one template per kind of notification (plain text, Jinja)."""

import re

from jinja2 import Environment, StrictUndefined

from documents.render import date_fr

_env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_env.filters["date_fr"] = date_fr

SIGNATURE = "\n\n—\nService OEPRE de l'académie. Ce message est envoyé automatiquement ; pour toute question, " \
            "adressez-vous à votre correspondant habituel."

MODELES: dict[str, tuple[str, str]] = {
    "rappel_echeance": (
        "OEPRE — {{ etape }} : échéance {{ quand }} ({{ echeance|date_fr }})",
        "Bonjour,\n\n« {{ etape }} » est attendu au plus tard le {{ echeance|date_fr }} pour {{ objet }}.\n"
        "{{ consigne }}",
    ),
    "ordre_du_jour": (
        "OEPRE — Ordre du jour du comité du {{ echeance|date_fr }}",
        "Bonjour,\n\nL'ordre du jour du comité de pilotage du {{ echeance|date_fr }} est prêt : {{ nombre }} dossier(s) "
        "avec l'avis de leur DASEN. Il se consulte sur la page « Comité de pilotage ».",
    ),
    "service_fait": (
        "OEPRE — Service fait de {{ mois }} à certifier",
        "Bonjour,\n\nLes séances de {{ mois }} de l'atelier {{ objet }} sont à certifier (service fait) pour que les "
        "vacations des intervenants soient payées. Page « Service fait et paie ».",
    ),
    "depot_clos": (
        "OEPRE — Le dépôt des dossiers est clos",
        "Bonjour,\n\nLa date limite de dépôt ({{ echeance|date_fr }}) est passée : le dossier de {{ objet }}, resté en "
        "brouillon, ne peut plus être déposé. Seul le pilote académique peut rouvrir le dépôt.",
    ),
    "retards": (
        "OEPRE — En retard au {{ echeance|date_fr }} : {{ etape }}",
        "Bonjour,\n\n« {{ etape }} » (échéance du {{ echeance|date_fr }}) manque pour {{ nombre }} dossier(s) :\n"
        "{% for ligne in lignes %}- {{ ligne }}\n{% endfor %}",
    ),
    "synthese_hebdomadaire": (
        "OEPRE — Synthèse de la semaine du {{ echeance|date_fr }}",
        "Bonjour,\n\nÉtat des dossiers de la campagne {{ annee_scolaire }} :\n"
        "{% for ligne in lignes %}- {{ ligne }}\n{% endfor %}\n"
        "{{ a_relire }} document(s) attendent votre relecture.",
    ),
    "lien_compte": (
        "OEPRE — {{ objet }}",
        "Bonjour {{ nom }},\n\n{{ introduction }}\n\nOuvrez ce lien pour choisir votre mot de passe (il ne sert qu'une fois "
        "et expire le {{ expire }}) :\n{{ lien }}\n\nVotre identifiant : {{ identifiant }}. Aucun mot de passe ne vous est "
        "jamais envoyé par courriel. Si vous n'attendiez pas ce message, ignorez-le.",
    ),
    "purge_prochaine": (
        "OEPRE — Données des parents anonymisées le {{ echeance|date_fr }}",
        "Bonjour,\n\nConformément à la durée de conservation, les données personnelles des {{ nombre }} parent(s) de "
        "l'atelier {{ objet }} seront anonymisées le {{ echeance|date_fr }}. Les attestations déjà remises et les "
        "chiffres des bilans ne changent pas. D'ici là, un parent peut demander l'export de ses données.",
    ),
    # --- One per transition that concerns someone (workflow.automatismes.transitions). No parent is ever named. ---
    "depot_recu": (
        "OEPRE — Dossier déposé : {{ etablissement }} ({{ numero }})",
        "Bonjour,\n\n{{ etablissement }} ({{ commune }}, {{ departement }}) a déposé le dossier {{ numero }} de la "
        "campagne {{ annee_scolaire }}. Il attend l'avis du DASEN avant le {{ date_limite|date_fr }}, sur la page "
        "« Dossiers ».",
    ),
    "avis_donne": (
        "OEPRE — Avis du DASEN donné : {{ etablissement }} ({{ numero }})",
        "Bonjour,\n\nLe DASEN {{ departement }} a donné un avis « {{ avis }} » sur le dossier {{ numero }} de "
        "{{ etablissement }} ({{ commune }}). Le dossier peut être inscrit à l'ordre du jour du comité de pilotage "
        "du {{ date_copil|date_fr }}.",
    ),
    "dossier_renvoye": (
        "OEPRE — Votre dossier {{ numero }} est à corriger",
        "Bonjour,\n\nLe dossier {{ numero }} de {{ etablissement }} vous est renvoyé pour correction. Motif :\n\n"
        "{{ motif }}\n\nIl est de nouveau en brouillon : corrigez-le puis déposez-le à nouveau, sur la page "
        "« Dossiers ».",
    ),
    "decision_notifiee": (
        "OEPRE — Décision du comité de pilotage : {{ decision }} ({{ numero }})",
        "Bonjour,\n\nLe comité de pilotage a rendu sa décision sur le dossier {{ numero }} de {{ etablissement }} : "
        "{{ decision }}.{% if heures %} Heures financées : {{ heures }} h.{% endif %}\n"
        "{% if piece_jointe %}La notification de la décision est jointe à ce message ; elle{% else %}La notification "
        "de la décision{% endif %} se consulte aussi sur la page « Dossiers ».",
    ),
    "credits_notifies": (
        "OEPRE — Crédits notifiés : {{ etablissement }} ({{ numero }})",
        "Bonjour,\n\nLa DAEPS a notifié les crédits du dossier {{ numero }} de {{ etablissement }} : "
        "{{ montant }} (structure payeuse : {{ structure_payeuse }}). Les vacations des intervenants seront payées "
        "sur ces crédits ; les états liquidatifs s'établissent sur la page « Service fait et paie ».",
    ),
    "engagement": (
        "OEPRE — Vous êtes engagé(e) dans l'atelier de {{ etablissement }}",
        "Bonjour {{ intervenant }},\n\n{{ etablissement }} ({{ commune }}) vous engage pour animer le groupe "
        "« {{ groupe }} » de son atelier OEPRE{% if debut %}, du {{ debut|date_fr }} au {{ fin|date_fr }}{% endif %}. "
        "La lettre d'engagement se consulte sur la page « Séances et émargement », avec l'adresse de votre compte.",
    ),
    "bilan_recu": (
        "OEPRE — {{ bilan }} reçu : {{ etablissement }} ({{ numero }})",
        "Bonjour,\n\n{{ etablissement }} ({{ commune }}, {{ departement }}) a transmis son {{ bilan|lower }} "
        "(dossier {{ numero }}). Il se consulte sur la page « Bilans de fin d'année ».",
    ),
    "resume_quotidien": (
        "OEPRE — Résumé du {{ echeance|date_fr }} : {{ nombre }} message(s)",
        "Bonjour,\n\nVoici les messages du service depuis le dernier résumé (page « Mes courriels » pour les recevoir "
        "autrement) :\n{% for sujet, corps in messages %}\n■ {{ sujet }}\n{{ corps }}\n{% endfor %}",
    ),
}


def sans_signature(corps: str) -> str:
    """A message's own text, as the daily digest quotes it."""
    return corps.removesuffix(SIGNATURE).removeprefix("Bonjour,\n\n")


def rediger(type_notification: str, **contexte) -> tuple[str, str]:
    """(subject, body) of a notification; a missing variable is an error, never an empty hole in a sent e-mail."""
    sujet, corps = MODELES[type_notification]
    return _env.from_string(sujet).render(**contexte), _env.from_string(corps).render(**contexte) + SIGNATURE


# The single-use token of a password link (workflow/comptes.py) appears in its mail only: never on a page.
_JETON = re.compile(r"(jeton=)[A-Za-z0-9_\-]+")


def masquer_jetons(texte: str) -> str:
    """The text with every password-link token replaced by dots (the outbox page; a sent mail's stored body)."""
    return _JETON.sub(r"\1••••••••", texte)

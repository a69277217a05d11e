"""The official documents, declared section by section (spec §9). Variables are the fields of the
step's form model plus the shared context (forms/contexte.py); tests/documents/test_documents.py
(test_contrat_gabarits_formulaire) checks both directions."""

from pathlib import Path

from jinja2 import Environment, StrictUndefined, meta

from documents.gabarits import DOSSIER, Bilingue, Champs, Gabarit, Section, Si, Signatures, Tableau, Texte, chemin_gabarit, construire
from documents.render import FILTRES
from forms.traductions import traduction
from forms.vocabulaire import Signataire

# The académie's contacts directory (its profile, workflow.noyau.profil): every heading in the call for projects,
# the académie's and the dossier's département's in a notification.
_CONTACTS = Si("contacts", (
    Section("Vos contacts"),
    Tableau(("Rubrique", "Dép.", "Nom ou service", "Fonction", "Courriel", "Téléphone"), "c in contacts", (
        "{{ c.rubrique }}", "{{ c.departement or '—' }}", "{{ c.nom }}", "{{ c.fonction }}", "{{ c.courriel }}",
        "{{ c.telephone }}"),
        largeurs=(16, 4, 14, 14, 22, 12)),  # an address (« integration@ariege.gouv.fr ») and a phone number on one line
))

_SIGNATURE_PORTEUR = Signatures((("{{ responsable_fonction|titre_signataire }}", "{{ responsable_nom }}"),), (Signataire.PORTEUR,))

LETTRE_APPEL_A_PROJETS = Gabarit(
    "lettre_appel_a_projets",
    "Appel à projets OEPRE",
    obligatoires=("date_limite_depot",),
    en_tete_etablissement=False,
    destinataire="Mesdames et Messieurs les directeurs d'école et chefs d'établissement",
    sous_titre="Campagne {{ annee_scolaire }}",
    contenu=(
        Texte("Le dispositif « Ouvrir l'École aux parents pour la réussite des enfants » (OEPRE) propose aux parents "
              "étrangers allophones des ateliers gratuits portant sur trois axes : l'apprentissage du français, la "
              "connaissance du fonctionnement et des attentes de l'École, la connaissance des valeurs de la République. "
              "Les écoles et établissements qui souhaitent ouvrir ou reconduire un atelier déposent un dossier de candidature."),
        Section("Calendrier de la campagne"),
        Champs((
            ("Ouverture de l'appel à projets", "{{ date_ouverture|date_fr }}"),
            ("Date limite de dépôt des dossiers", "{{ date_limite_depot|date_fr }}"),
            ("Avis des IA-DASEN", "au plus tard le {{ date_limite_avis_dasen|date_fr }}"),
            ("Comité de pilotage", "{{ date_copil|date_fr }}"),
            ("Notification des décisions", "{{ date_notification|date_fr }}"),
            ("Début des ateliers", "à partir du {{ date_debut_ateliers_min|date_fr }}"),
            ("Fin des ateliers", "{{ date_fin_ateliers|date_fr }}"),
            ("Bilan pédagogique (enquête nationale)", "au plus tard le {{ date_limite_bilan_pedagogique|date_fr }}"),
            ("Bilan financier (DAEPS)", "au plus tard le {{ date_limite_bilan_financier|date_fr }}"),
        )),
        Section("Critères d'éligibilité et de sélection"),
        Champs((
            ("Volume horaire par groupe", "de {{ heures_min_par_groupe|heures }} à {{ heures_max_par_groupe|nb_heures }} sur l'année"),
            ("Effectif par groupe", "au moins {{ taille_groupe_min }} parents tout au long de l'année ({{ taille_groupe_max }} environ au plus)"),
            ("Rémunération des intervenants", "indemnité de vacation de {{ taux_horaire|montant }} brut de l'heure, dans la limite "
                                              "de {{ plafond_heures_vacation_12_mois|nb_heures }} sur 12 mois consécutifs par personne"),
            ("Certificat d'assiduité", "délivré aux parents présents à au moins {{ seuil_assiduite_pct }} % des heures"),
        )),
        Texte("Le comité de pilotage examine notamment la proportion de parents primo-arrivants et de parents déjà inscrits "
              "à une session précédente, la qualité des intervenants, la composition des groupes, le nombre d'heures de "
              "formation et le programme proposé sur les trois axes. L'action doit être inscrite au projet d'école ou d'établissement."),
        Texte("Les deux bilans de l'année précédente (pédagogique et financier) conditionnent le financement d'un renouvellement.", gras=True),
        Section("Enveloppes de la campagne"),
        Champs((
            ("Programme 104 (ministère de l'Intérieur)", "{{ budget_p104|montant }}"),
            ("Éducation nationale", "{{ budget_en|montant }}"),
            ("Total", "{{ budget_total|montant }}"),
        )),
        _CONTACTS,
        Signatures((("Pour le recteur et par délégation,\nle conseiller technique EVS", ""),), (Signataire.PILOTE,)),
    ),
)

DOSSIER_CANDIDATURE = Gabarit(
    "dossier_candidature",
    "Dossier de candidature — atelier OEPRE",
    obligatoires=("groupes", "intervenants", "montant_demande"),
    sous_titre="Dossier n° {{ dossier.numero }}",
    contenu=(
        Section("1. Établissement porteur"),
        Champs((
            ("Établissement", "{{ etablissement.nom }} ({{ etablissement.type_libelle }})"),
            ("UAI", "{{ etablissement.uai }}"),
            ("Commune — département", "{{ etablissement.commune }} — {{ etablissement.departement }}"),
            ("Circonscription", "{{ etablissement.circonscription_ien or '—' }}"),
            ("Éducation prioritaire / QPV", "{{ etablissement.education_prioritaire }} / {{ etablissement.qpv|oui_non }}"),
            ("UPE2A dans l'établissement", "{{ upe2a_dans_structure|oui_non }}"),
            ("Établissements associés", "{{ mutualisation|liste }}"),
            ("Renouvellement", "{{ renouvellement|oui_non }}"),
        )),
        Section("2. Contacts"),
        Champs((
            ("Responsable", "{{ responsable_nom }} — {{ responsable_fonction|libelle }}"),
            ("Courriel / téléphone", "{{ responsable_email }} / {{ responsable_telephone|telephone }}"),
            ("Coordonnateur", "{{ coordonnateur_nom or '—' }} {{ coordonnateur_email or '' }}"),
        )),
        Section("3. Contexte et besoins"),
        Texte("{{ contexte }}"),
        Section("4. Public visé"),
        Champs((
            ("Parents prévus", "{{ nb_parents_prevus }}"),
            ("Dont primo-arrivants", "{{ nb_primo_arrivants_prevus }} ({{ part_primo_pct }} %)"),
            ("Dont réinscrits d'une session précédente", "{{ nb_reinscrits_prevus }}"),
            ("Langues principales", "{{ langues_principales or '—' }}"),
            ("Repérage des familles", "{{ modalites_reperage or '—' }}"),
            ("Surinscription prévue", "{{ surinscription_prevue|oui_non }}"),
        )),
        Section("5. Groupes"),
        Tableau(("Groupe", "Niveau", "Effectif", "Heures", "Période", "Jours et horaires", "Lieu"), "g in groupes", (
            "{{ g.libelle }}", "{{ g.niveau|libelle }}", "{{ g.effectif_prevu }}", "{{ g.heures_prevues|heures }}",
            "{{ g.date_debut|date_courte }} – {{ g.date_fin|date_courte }}", "{{ g.creneaux|creneaux }}", "{{ g.lieu }}",
        )),
        Section("6. Intervenants"),
        Tableau(("Nom", "Statut", "Employeur", "FLE/FLS", "Heures", "Groupe(s)"), "i in intervenants", (
            "{{ i.prenom }} {{ i.nom }}", "{{ i.statut|libelle }}", "{{ i.employeur_principal|libelle }}",
            "{{ i.qualification_fle_fls|oui_non }}", "{{ i.heures_prevues|heures }}", "{{ i.groupes }}",
        )),
        Section("7. Programme sur les trois axes"),
        Texte("Axe 1 — Apprentissage du français", gras=True),
        Texte("{{ programme_axe_langue }}"),
        Texte("Axe 2 — Connaissance du fonctionnement et des attentes de l'École", gras=True),
        Texte("{{ programme_axe_ecole }}"),
        Texte("Axe 3 — Connaissance des valeurs de la République", gras=True),
        Texte("{{ programme_axe_valeurs }}"),
        Champs((
            ("Évaluation diagnostique prévue", "{{ evaluation_diagnostique_prevue|oui_non }}"),
            ("Partenariats", "{{ articulation_partenaires or '—' }}"),
        )),
        Section("8. Budget demandé"),
        Champs((
            ("Heures de formation", "{{ heures_total|heures }} h"),
            ("Taux horaire de vacation", "{{ taux_horaire|montant }}"),
            ("Vacations (heures × taux)", "{{ cout_vacations|montant }}"),
            ("Autres frais", "{{ autres_frais|montant }}"),
            ("Montant demandé", "{{ montant_demande|montant }}"),
        )),
        Section("9. Engagements"),
        Champs((
            ("Action inscrite au projet d'école / d'établissement", "{{ inscrit_projet_etablissement|oui_non }}"),
            ("Conseil d'administration (EPLE)", "{{ date_ca|date_fr if date_ca else '—' }}"),
        )),
        Texte("Le porteur s'engage à faire émarger les parents à chaque séance et à transmettre les deux bilans "
              "(pédagogique et financier) dans les délais.", italique=True),
        _SIGNATURE_PORTEUR,
    ),
)

ACCUSE_RECEPTION = Gabarit(
    "accuse_reception",
    "Accusé de réception du dossier de candidature",
    obligatoires=("dossier", "etablissement"),
    references=False,
    destinataire="À l'attention de {{ responsable_nom }}",
    contenu=(
        Texte("Le rectorat accuse réception du dossier de candidature OEPRE n° {{ dossier.numero }} déposé le "
              "{{ date_document|date_fr }} par {{ etablissement.nom }} (UAI {{ etablissement.uai }})."),
        Champs((
            ("Groupes", "{{ dossier.nb_groupes }}"),
            ("Heures demandées", "{{ heures_total|heures }} h"),
            ("Montant demandé", "{{ montant_demande|montant }}"),
        )),
        Texte("Le dossier est transmis à la DSDEN pour l'avis de l'IA-DASEN, puis examiné par le comité de pilotage. "
              "Conservez ce document : il fait foi de la date de dépôt.", italique=True),
    ),
)

AVIS_DASEN = Gabarit(
    "avis_dasen",
    "Avis de l'IA-DASEN",
    obligatoires=("avis", "etablissement"),
    sous_titre="Dossier n° {{ dossier.numero }} — {{ etablissement.nom }}",
    contenu=(
        Section("Rappel du dossier"),
        Champs((
            ("Établissement", "{{ etablissement.nom }} — UAI {{ etablissement.uai }}"),
            ("Groupes", "{{ dossier.nb_groupes }}"),
            ("Heures demandées", "{{ dossier.heures_total|heures }} h"),
            ("Montant demandé", "{{ dossier.montant_demande|montant }}"),
            ("Parents prévus", "{{ dossier.nb_parents_prevus }}"),
        )),
        Section("Avis"),
        Champs((
            ("Avis", "{{ avis|libelle }}"),
            ("Rang dans le département", "{{ priorite_departementale or '—' }}"),
            ("Motivation", "{{ motivation or '—' }}"),
        )),
        Signatures((("L'inspecteur d'académie – directeur académique\ndes services de l'Éducation nationale", "{{ signataire }}"),),
                   (Signataire.DASEN,)),
    ),
)

NOTIFICATION_DECISION = Gabarit(
    "notification_decision",
    "Notification de la décision du comité de pilotage",
    obligatoires=("decision", "montant_total", "etablissement"),
    destinataire="À l'attention du porteur du projet",
    contenu=(
        Texte("Le comité de pilotage du dispositif OEPRE a examiné le dossier n° {{ dossier.numero }} déposé par votre "
              "établissement. Il a pris la décision suivante :"),
        Champs((
            ("Décision", "{{ decision|libelle }}"),
            ("Heures financées", "{{ heures_financees|heures }} h"),
            ("Programme 104 (Intérieur)", "{{ montant_p104|montant }}"),
            ("Éducation nationale", "{{ montant_en|montant }}"),
            ("Montant total alloué", "{{ montant_total|montant }}"),
        )),
        Si("conditions", (Section("Conditions"), Texte("{{ conditions }}"))),
        Si("motif_refus", (Section("Motif"), Texte("{{ motif_refus }}"))),
        Si("derogation_bilans_motif", (Section("Dérogation accordée (bilans de l'année précédente)"), Texte("{{ derogation_bilans_motif }}"))),
        Section("Vos obligations"),
        Texte("– faire émarger les parents à chaque séance (feuilles d'émargement conservées) ;\n"
              "– certifier chaque mois le service fait des intervenants ;\n"
              "– transmettre le bilan pédagogique (enquête nationale) et le bilan financier (DAEPS) en fin d'année : "
              "ils conditionnent le financement de l'année suivante."),
        _CONTACTS,
        Signatures((("Pour le recteur et par délégation,\nle conseiller technique EVS", ""),), (Signataire.PILOTE,)),
    ),
)

PROCES_VERBAL = Gabarit(
    "proces_verbal",
    "Procès-verbal du comité de pilotage",
    obligatoires=("decisions", "membres_presents"),
    date_du_document="date_session",
    en_tete_etablissement=False,
    paysage=True,
    sous_titre="Séance du {{ date_session|date_fr }} — {{ lieu }}",
    contenu=(
        Section("Membres présents"),
        Tableau(("Fonction", "Nom"), "m in membres_presents", ("{{ m.fonction }}", "{{ m.nom }}")),
        Section("Relevé des décisions"),
        Tableau(("Dép.", "Dossier", "Établissement", "Avis DASEN", "Décision", "Heures", "P104", "EN", "Observations"),
                "d in decisions", ("{{ d.departement }}", "{{ d.numero }}", "{{ d.etablissement }}", "{{ d.avis }}",
                                   "{{ d.decision|libelle }}", "{{ d.heures_financees|heures }}", "{{ d.montant_p104|montant }}",
                                   "{{ d.montant_en|montant }}", "{{ d.observations }}"),
                pied=("Total", "", "", "", "", "{{ total_heures|heures }}", "{{ total_p104|montant }}", "{{ total_en|montant }}", ""),
                largeurs=(2, 12, 20, 6, 8, 4, 10, 10, 18)),
        Signatures((("Le président de séance", ""), ("Le secrétaire de séance", "")), (Signataire.PILOTE, None)),
    ),
)

NOTIFICATION_CREDITS = Gabarit(
    "notification_credits",
    "Notification de crédits",
    obligatoires=("montant_total", "imputation", "etablissement"),
    destinataire="À l'attention de la structure payeuse",
    contenu=(
        Texte("Les crédits suivants sont délégués pour le financement de l'atelier OEPRE du dossier n° {{ dossier.numero }} :"),
        Champs((
            ("Structure payeuse", "{{ structure_payeuse }}"),
            ("Programme 104 (Intérieur)", "{{ montant_p104|montant }}"),
            ("Éducation nationale", "{{ montant_en|montant }}"),
            ("Total", "{{ montant_total|montant }}"),
            ("Imputation", "{{ imputation or '—' }}"),
        )),
        Signatures((("Pour le recteur et par délégation,\nla cheffe du bureau DAEPS", ""),), (Signataire.DAEPS,)),
    ),
)

_IDENTITE_INTERVENANT = Champs((
    ("Intervenant", "{{ civilite }} {{ prenom }} {{ nom }}"),
    ("Courriel", "{{ courriel or '—' }}"),
    ("Statut", "{{ statut|libelle }}"),
    ("Employeur principal", "{{ employeur_principal|libelle }}"),
    ("Affectation (UAI)", "{{ uai_affectation or '—' }}"),
    ("Corps / grade", "{{ corps_grade or '—' }}"),
    ("Quotité de service", "{{ quotite_service_pct ~ ' %' if quotite_service_pct is not none else '—' }}"),
))

LETTRE_ENGAGEMENT = Gabarit(
    "lettre_engagement",
    "Lettre d'engagement d'un intervenant",
    obligatoires=("heures_prevues", "date_debut", "date_fin", "taux_horaire"),
    concerne="{{ prenom }} {{ nom }}",
    contenu=(
        Section("Parties"),
        _IDENTITE_INTERVENANT,
        Section("Objet et conditions"),
        Champs((
            ("Atelier", "OEPRE — groupe « {{ groupe }} »"),
            ("Période", "{{ date_debut|periode(date_fin) }}"),
            ("Heures prévues", "{{ heures_prevues|heures }} h"),
            ("Taux horaire brut", "{{ taux_horaire|montant }} (50/10 000 du traitement annuel brut à l'indice majoré 100)"),
            ("Autorisation de cumul", "{{ statut_cumul|libelle }}"),
            ("Heures hors obligations de service (attestation)", "{{ atteste_hors_service|oui_non }}"),
        )),
        Texte("Les vacations sont versées mensuellement sur service fait. Le nombre d'heures de vacation ne peut excéder "
              "250 heures sur douze mois consécutifs, toutes structures confondues. Ce versement est exclusif de toute "
              "autre rémunération ou indemnité pour la même activité."),
        Si("agent_public", (Texte("Agent public : les heures sont effectuées en dehors de ses obligations de service, "
                                  "après avis de son chef de service.", italique=True),)),
        Signatures((("L'ordonnateur", ""), ("L'intervenant", "{{ prenom }} {{ nom }}")), (Signataire.PORTEUR, None)),
    ),
)

DEMANDE_CUMUL = Gabarit(
    "demande_cumul",
    "Demande d'autorisation de cumul d'activités à titre accessoire",
    obligatoires=("heures_prevues",),
    concerne="{{ prenom }} {{ nom }}",
    sous_titre="Décret n° 2020-69 du 30 janvier 2020",
    contenu=(
        Section("Agent"),
        _IDENTITE_INTERVENANT,
        Section("Activité accessoire"),
        Champs((
            ("Employeur accessoire", "{{ etablissement.nom }} — UAI {{ etablissement.uai }}"),
            ("Nature", "Enseignement / formation — atelier OEPRE, groupe « {{ groupe }} »"),
            ("Période", "{{ date_debut|periode(date_fin) }}"),
            ("Volume estimé", "{{ heures_prevues|heures }} h"),
            ("Rémunération", "vacations à {{ taux_horaire|montant }} brut de l'heure"),
        )),
        Texte("Je certifie que cette activité sera exercée en dehors de mes obligations de service."),
        Signatures((("L'agent", "{{ prenom }} {{ nom }}"), ("Avis du chef de service", "☐ favorable  ☐ défavorable"),
                    ("Décision de l'autorité", "☐ accordée  ☐ refusée"))),
    ),
)

_FICHE = traduction("fr")["fiche_inscription"]  # the French text; translations in forms/traductions/*.toml


def _fiche(cle: str, **style) -> Bilingue:
    return Bilingue(_FICHE[cle], f"traduction.{cle}", **style)


# The notice's blanks, in every language's text: « {mois} » is the context's conservation_mois, and so on.
_BLANCS_DE_LA_NOTICE = {"academie": "academie", "mois": "conservation_mois", "contact": "contact_donnees"}


def _notice(cle: str) -> Bilingue:
    """A paragraph of the parents' notice on their data (RGPD art. 13), its blanks filled from the context."""
    francais, traduit = _FICHE[cle], f"traduction.{cle}"
    for blanc, variable in _BLANCS_DE_LA_NOTICE.items():
        francais = francais.replace(f"{{{blanc}}}", f"{{{{ {variable} }}}}")
        traduit += f"|replace('{{{blanc}}}', {variable}|string)"
    return Bilingue(francais, traduit, italique=True)


FICHE_INSCRIPTION = Gabarit(
    "fiche_inscription",
    _FICHE["titre"],
    concerne="{{ prenom }} {{ nom }}",
    contenu=(
        Bilingue("", "traduction.titre", gras=True),
        Champs((
            (_fiche("nom_prenom"), "{{ nom }} {{ prenom }}"),
            (_fiche("sexe"), "{{ sexe|libelle }}"),
            (_fiche("annee_naissance"), "{{ annee_naissance or '—' }}"),
            (_fiche("pays_origine"), "{{ pays if pays_origine else '—' }}"),
            (_fiche("langues"), "{{ langues or '—' }}"),
            (_fiche("annee_arrivee"), "{{ annee_arrivee_france or '—' }}"),
            (_fiche("cir"), "{{ cir_signe|libelle }}"),
            (_fiche("protection"), "{{ protection_internationale|libelle }}"),
            (_fiche("orientation"), "{{ orientation_par|libelle if orientation_par else '—' }}"),
            (_fiche("reinscrit"), "{{ deja_inscrit_session_precedente|oui_non }}"),
            (_fiche("telephone"), "{{ telephone|telephone }}"),
            (_fiche("groupe"), "{{ groupe }}"),
            (_fiche("date_inscription"), "{{ date_inscription|date_fr }}"),
        )),
        Section(_fiche("enfants")),
        Tableau((_fiche("enfant_prenom"), _fiche("enfant_classe"), _fiche("enfant_ecole")), "e in enfants",
                ("{{ e.prenom }}", "{{ e.classe }}", "{{ e.uai_ecole }}")),
        _fiche("engagement"),
        Bilingue(f"{_FICHE['droit_image']} {{{{ consentement_image|oui_non }}}}", "traduction.droit_image ~ ' ' ~ "
                 "(consentement_image|oui_non)", italique=True),
        Section(_fiche("donnees_titre")),
        *(_notice(cle) for cle in ("donnees_responsable", "donnees_facultatives", "donnees_destinataires",
                                   "donnees_conservation", "donnees_droits")),
        Texte("Langue de la fiche, en plus du français : {{ langue_fiche|libelle }}.", italique=True),
        Si("motif", (Texte("Fiche corrigée — motif : {{ motif }}", italique=True),)),
        Signatures(((_fiche("signature_parent"), "{{ prenom }} {{ nom }}"), (_fiche("inscrit_par"), ""))),
    ),
)

LISTE_AUDITEURS = Gabarit(
    "liste_auditeurs",
    "Liste des auditeurs inscrits",
    obligatoires=("lignes",),
    sous_titre="{{ 'Version anonymisée (statistique)' if anonymisee else 'Version nominative — usage interne' }}",
    paysage=True,
    contenu=(
        Champs((
            ("Auditeurs inscrits", "{{ lignes|length }}"),
            ("Dont femmes", "{{ nb_femmes }}"),
            ("Dont primo-arrivants (arrivés depuis moins de 5 ans)", "{{ nb_primo_arrivants }}"),
        )),
        Tableau(("N°", "Auditeur", "Groupe", "Sexe", "Âge", "Primo-arrivant", "Inscription", "Sortie", "Heures suivies"),
                "l in lignes", ("{{ l.numero }}", "{{ l.designation }}", "{{ l.groupe }}", "{{ l.sexe }}", "{{ l.tranche_age }}",
                                "{{ l.primo_arrivant }}", "{{ l.inscription }}", "{{ l.sortie }}", "{{ l.minutes_suivies|duree }}")),
        Si("not anonymisee", (Texte("Document nominatif : à conserver dans l'établissement, ne pas diffuser.", italique=True),)),
    ),
)

FEUILLE_EMARGEMENT = Gabarit(
    "feuille_emargement",
    "Feuille d'émargement",
    obligatoires=("presences",),
    concerne="{{ groupe }} — {{ date_seance|date_courte }}",
    references=False,
    contenu=(
        Champs((
            ("Groupe", "{{ groupe }}"),
            ("Date", "{{ date_seance|date_fr }}, de {{ heure_debut|heure }} à {{ heure_fin|heure }} ({{ minutes|duree }})"),
            ("Axes travaillés", "{{ axes|libelles }}"),
            ("Contenu", "{{ contenu or '—' }}"),
            ("Intervenant(s)", "{{ intervenants|liste }}"),
        )),
        Si("annulee", (Texte("Séance annulée : elle n'est comptée ni dans les heures réalisées ou proposées, ni dans la paie.",
                             gras=True),)),
        Si("annulee", (Texte("Motif de l'annulation : {{ motif }}", italique=True),)),
        Si("motif and not annulee", (Texte("Feuille corrigée — motif : {{ motif }}", italique=True),)),
        Tableau(("Nom", "Prénom", "Présence", "Signature"), "p in presences",
                ("{{ p.nom }}", "{{ p.prenom }}", "{{ p.statut|libelle }}", "")),
        Signatures((("Certifié exact — l'intervenant", ""), ("Visa de la direction de l'école ou de l'établissement", ""))),
    ),
)

_JOURS = tuple(f"{{{{ jours[{i}] }}}}" for i in range(10))  # the grid's séance columns (forms.atelier.COLONNES_EMARGEMENT)

EMARGEMENT_MENSUEL = Gabarit(
    "emargement_mensuel",
    "Grille d'émargement mensuelle",
    obligatoires=("parents", "jours"),
    concerne="{{ groupe }} — {{ mois|mois_fr }}",
    sous_titre="{{ groupe }} — {{ mois|mois_fr }}",
    paysage=True,
    references=False,
    contenu=(
        Texte("Chaque parent signe dans la colonne de la séance à laquelle il assiste ; une séance qui n'a pas lieu est barrée.",
              italique=True),
        Tableau(("Nom", "Prénom", *_JOURS), "p in parents", ("{{ p.nom }}", "{{ p.prenom }}", *("",) * 10),
                hauteur_ligne_cm=1.1),
        Section("Intervenant(s)"),
        Tableau(("Nom", "Prénom", *_JOURS), "i in intervenants", ("{{ i.nom }}", "{{ i.prenom }}", *("",) * 10),
                hauteur_ligne_cm=1.1),
        Signatures((("Certifié exact — l'intervenant", ""), ("Visa de la direction de l'école ou de l'établissement", ""))),
    ),
)

RECAPITULATIF_ANNUEL = Gabarit(
    "recapitulatif_annuel",
    "Récapitulatif annuel des vacations",
    obligatoires=("lignes", "total_brut"),
    concerne="{{ intervenant }}",
    sous_titre="{{ intervenant }} — année scolaire {{ annee_scolaire }}",
    contenu=(
        Texte("Heures de vacation effectuées au titre du dispositif OEPRE, dans tous les ateliers de l'académie, et "
              "rémunération brute correspondante (chaque séance au taux en vigueur à sa date)."),
        Tableau(("Mois", "Atelier", "Heures", "Montant brut"), "l in lignes",
                ("{{ l.mois|mois_fr }}", "{{ l.atelier }}", "{{ l.minutes|duree }}", "{{ l.brut|montant }}"),
                pied=("Total", "", "{{ total_minutes|duree }}", "{{ total_brut|montant }}")),
        Texte("Document établi pour les besoins de l'employeur principal et de l'intéressé(e).", italique=True),
        Signatures((("Le directeur / la directrice ou le chef d'établissement", ""),), (Signataire.PORTEUR,)),
    ),
)

ETAT_SERVICE_FAIT = Gabarit(
    "etat_service_fait",
    "État de service fait mensuel",
    obligatoires=("lignes", "total_brut"),
    concerne="{{ intervenant }} — {{ mois|mois_fr }}",
    sous_titre="{{ intervenant }} — {{ mois|mois_fr }}",
    contenu=(
        Tableau(("Date", "Groupe", "Horaires", "Heures", "Taux", "Montant brut"), "l in lignes", (
            "{{ l.date_seance|date_courte }}", "{{ l.groupe }}", "{{ l.heure_debut|heure }} – {{ l.heure_fin|heure }}",
            "{{ l.minutes|duree }}", "{{ l.taux|montant }}", "{{ l.montant|montant }}",
        ), pied=("Total", "", "", "{{ total_minutes|duree }}", "", "{{ total_brut|montant }}")),
        Texte("Heures de vacation sur les 12 derniers mois (toutes structures) : {{ cumul_12_mois|duree }} sur 250 h autorisées."),
        Texte("Je certifie avoir effectué ces heures en dehors de mes obligations de service."),
        Signatures((("L'intervenant", "{{ intervenant }}"), ("Service fait certifié par", "{{ certifie_par }}")), (None, Signataire.PORTEUR)),
    ),
)

ETAT_LIQUIDATIF = Gabarit(
    "etat_liquidatif",
    "État liquidatif des vacations",
    obligatoires=("lignes", "total"),
    concerne="{{ mois|mois_fr }}",
    sous_titre="{{ structure_payeuse }} — {{ mois|mois_fr }}",
    en_tete_etablissement=False,
    paysage=True,
    contenu=(
        Tableau(("Intervenant", "Statut", "Heures", "Taux", "Montant brut"), "l in lignes", (
            "{{ l.intervenant }}", "{{ l.statut }}", "{{ l.minutes|duree }}", "{{ l.taux|montant }}", "{{ l.montant|montant }}",
        ), pied=("Total", "", "", "", "{{ total|montant }}")),
        Texte("Imputation : {{ imputation or '—' }}"),
        Signatures((("L'ordonnateur", ""),)),
    ),
)

ATTESTATION = Gabarit(
    "attestation",
    "Attestation de suivi de formation",
    concerne="{{ parent_prenom }} {{ parent_nom }}",
    references=False,
    numero_de_page=False,
    obligatoires=("signataire", "minutes_presentes"),
    contenu=(
        Texte("Je soussigné(e) {{ signataire }}, {{ fonction_signataire|qualite(etablissement.nom) }} "
              "(UAI {{ etablissement.uai }}, {{ etablissement.commune }}), atteste que"),
        Texte("{{ parent_prenom }} {{ parent_nom }}", gras=True),
        Texte("a suivi la formation « Ouvrir l'École aux parents pour la réussite des enfants » "
              "{{ date_debut|periode(date_fin) }}, soit {{ minutes_presentes|duree }} de formation sur {{ minutes_proposees|duree }} "
              "proposées, portant sur : l'apprentissage du français ; la connaissance du fonctionnement et des attentes "
              "de l'École ; la connaissance des valeurs de la République."),
        Si("assiduite", (Texte("Cette formation a été suivie avec assiduité.", gras=True),)),
        Texte("Fait à {{ etablissement.commune }}, le {{ date_document|date_fr }}."),
        Signatures((("{{ fonction_signataire }}", "{{ signataire }}"),), (Signataire.PORTEUR,)),
    ),
)

def _repartition(titre: str, boucle: str) -> Tableau:
    return Tableau((titre, "Parents"), f"e in {boucle}", ("{{ e.libelle }}", "{{ e.nombre }}"))


def _progression(competence: str, boucle: str) -> Tableau:
    return Tableau((f"{competence} : niveau initial", "Évalués deux fois", "En progrès d'au moins un niveau"), f"e in {boucle}",
                   ("{{ e.libelle }}", "{{ e.evalues }}", "{{ e.en_progres }}"))


BILAN_PEDAGOGIQUE = Gabarit(
    "bilan_pedagogique",
    "Bilan pédagogique de l'atelier",
    obligatoires=("heures_realisees", "inscrits_total"),
    sous_titre="Fiche de préparation de l'enquête nationale — {{ annee_scolaire }}",
    contenu=(
        Texte("Les rubriques suivent l'ordre de l'enquête en ligne. Les chiffres viennent des inscriptions, des séances "
              "et des émargements enregistrés ; un chiffre corrigé par l'établissement est signalé en fin de document.",
              italique=True),
        Section("1. Groupes et heures"),
        Tableau(("Groupe", "Prévues", "Financées", "Réalisées", "Séances (annulées)", "Langue", "École", "Valeurs", "Inscrits"),
                "g in chiffres.groupes", (
                    "{{ g.libelle }}", "{{ g.heures_prevues|heures }}",
                    "{{ g.heures_financees|heures if g.heures_financees is not none else '—' }}",
                    "{{ g.heures_realisees|heures }}", "{{ g.nb_seances }} ({{ g.nb_seances_annulees }})",
                    "{{ g.heures_langue|heures }}", "{{ g.heures_ecole|heures }}", "{{ g.heures_valeurs|heures }}",
                    "{{ g.inscrits }}"),
                pied=("Atelier", "{{ chiffres.heures_prevues|heures }}", "{{ chiffres.heures_financees|heures }}",
                      "{{ chiffres.heures_realisees|heures }}", "{{ chiffres.nb_seances }} ({{ chiffres.nb_seances_annulees }})",
                      "{{ chiffres.heures_langue|heures }}", "{{ chiffres.heures_ecole|heures }}",
                      "{{ chiffres.heures_valeurs|heures }}", "{{ chiffres.inscrits_total }}")),
        Champs((
            ("Nombre de groupes", "{{ nb_groupes if nb_groupes is not none else chiffres.nb_groupes }}"),
            ("Heures réalisées", "{{ (heures_realisees if heures_realisees is not none else chiffres.heures_realisees)|heures }} h"),
        )),
        Section("2. Parents : entrées et sorties"),
        Champs((
            ("Inscrits à la première séance", "{{ chiffres.inscrits_debut }}"),
            ("Inscrits sur l'année", "{{ inscrits_total if inscrits_total is not none else chiffres.inscrits_total }}"),
            ("Présents en fin d'année", "{{ chiffres.presents_fin }} (au moins une séance dans les quatre dernières semaines)"),
            ("Sorties en cours d'année", "{{ chiffres.sorties }}"),
        )),
        Si("chiffres.sorties_par_motif", (_repartition("Motif de sortie", "chiffres.sorties_par_motif"),)),
        Section("3. Profil des parents"),
        Champs((
            ("Femmes / hommes / non renseigné", "{{ femmes if femmes is not none else chiffres.femmes }} / {{ chiffres.hommes }} / "
                                                "{{ chiffres.sexe_non_renseigne }}"),
            ("Primo-arrivants (moins de 5 ans)", "{{ primo_arrivants if primo_arrivants is not none else chiffres.primo_arrivants }}"),
            ("Ressortissants hors Union européenne", "{{ chiffres.hors_ue }}"),
            ("Contrat d'intégration républicaine signé (déclaratif)", "{{ chiffres.cir_signe }}"),
            ("Protection internationale (déclaratif)", "{{ chiffres.protection_internationale }}"),
            ("Réinscrits / nouveaux", "{{ chiffres.reinscrits }} / {{ chiffres.nouveaux }}"),
        )),
        _repartition("Âge", "chiffres.tranches_age"),
        Section("4. Assiduité"),
        Champs((
            ("Taux d'assiduité moyen", "{{ chiffres.taux_assiduite_pct|heures }} % ({{ chiffres.heures_presence|heures }} h de "
                                       "présence sur {{ chiffres.heures_proposees|heures }} h proposées)"),
            ("Parents assidus", "{{ assidus if assidus is not none else chiffres.assidus }} "
                                 "(au moins {{ chiffres.seuil_assiduite_pct }} % des heures proposées)"),
            ("Absences excusées", "{{ chiffres.absences_excusees }} (comptées absentes dans les heures de présence)"),
        )),
        _repartition("Heures suivies", "chiffres.repartition_heures"),
        Section("5. Pays d'origine et langues"),
        _repartition("Pays d'origine", "chiffres.pays"),
        Si("chiffres.langues", (_repartition("Langue parlée", "chiffres.langues"),)),
        Section("6. Niveaux en français"),
        _repartition("Niveau à l'oral", "chiffres.niveaux_oral"),
        _repartition("Niveau à l'écrit", "chiffres.niveaux_ecrit"),
        Texte("Évaluations diagnostiques : {{ chiffres.evalues_initiale }} parent(s) évalué(s) à l'entrée, "
              "{{ chiffres.evalues_deux_fois }} évalué(s) aussi en fin d'année."),
        Si("chiffres.progression_oral", (_progression("Oral", "chiffres.progression_oral"),
                                         _progression("Écrit", "chiffres.progression_ecrit"))),
        Section("7. Intervenants"),
        Tableau(("Statut", "Intervenants", "Heures"), "i in chiffres.intervenants",
                ("{{ i.statut }}", "{{ i.nombre }}", "{{ i.heures|heures }}")),
        Texte("Part des heures assurées par des intervenants qualifiés en FLE/FLS ou UPE2A : "
              "{{ chiffres.part_heures_qualifiees_pct|heures }} %."),
        Section("8. Orientation des parents vers l'atelier"),
        _repartition("Orienté(e) par", "chiffres.orientations"),
        Section("9. Diplômes et partenariats"),
        Champs((
            ("DILF / DELF (déclaratif)", "{{ inscriptions_dilf_delf if inscriptions_dilf_delf is not none else '—' }} inscrit(s), "
                                         "{{ reussites_dilf_delf if reussites_dilf_delf is not none else '—' }} réussite(s)"),
            ("Partenariats", "{{ partenariats or '—' }}"),
        )),
        Section("10. Bilan qualitatif"),
        Champs((
            ("Contenus et supports par axe", "{{ contenus or '—' }}"),
            ("Pratiques numériques", "{{ numerique or '—' }}"),
            ("Effets observés", "{{ effets_observes or '—' }}"),
            ("Difficultés et solutions", "{{ difficultes or '—' }}"),
            ("Perspectives", "{{ perspectives or '—' }}"),
            ("Parole des parents", "{{ parole_parents or '—' }}"),
        )),
        Si("ecarts", (Section("Écarts avec les données enregistrées"),
                      Tableau(("Écart signalé",), "e in ecarts", ("{{ e }}",)))),
        Texte("Transmis dans l'enquête nationale le {{ date_envoi|date_fr }}."),
        Si("dernier_bilan", (Texte("Les deux bilans sont transmis : le dossier de l'atelier est clos.", gras=True),)),
        Signatures((("La direction de l'école ou de l'établissement", ""),), (Signataire.PORTEUR,)),
    ),
)

BILAN_FINANCIER = Gabarit(
    "bilan_financier",
    "Bilan financier de l'atelier",
    obligatoires=("montant_alloue", "total_depenses"),
    sous_titre="Enquête de la DAEPS — {{ annee_scolaire }}",
    contenu=(
        Section("Crédits"),
        Champs((
            ("Montant alloué", "{{ montant_alloue|montant }} (P104 : {{ montant_p104|montant }} ; "
                               "Éducation nationale : {{ montant_en|montant }})"),
            ("Notifié le", "{{ date_notification|date_fr if date_notification else '—' }}"),
            ("Montant reçu", "{{ (montant_recu if montant_recu is not none else montant_alloue)|montant }}"),
        )),
        Section("Dépenses"),
        Champs((
            ("Vacations versées (brut)", "{{ vacations_brut|montant }} ({{ nb_etats_liquidatifs }} état(s) liquidatif(s))"),
            ("Charges patronales", "{{ charges_patronales|montant }}"),
            ("Matériel pédagogique", "{{ materiel_pedagogique|montant }}"),
            ("Reprographie", "{{ reprographie|montant }}"),
            ("Autres dépenses", "{{ autres_depenses|montant }}{{ ' — ' ~ justification_autres if justification_autres else '' }}"),
            ("Total des dépenses", "{{ total_depenses|montant }}"),
        )),
        Section("Heures et solde"),
        Champs((
            ("Heures financées / réalisées / payées", "{{ heures_financees|heures }} / {{ heures_realisees|heures }} / "
                                                      "{{ heures_payees|heures }}"),
            ("Coût horaire moyen", "{{ cout_horaire_moyen|montant if cout_horaire_moyen is not none else '—' }}"),
            ("Reliquat", "{{ reliquat|montant }}"),
            ("Traitement du reliquat", "{{ traitement_reliquat|libelle if traitement_reliquat else '—' }}"
                                       "{{ ' — ' ~ precision_reliquat if precision_reliquat else '' }}"),
            ("Pièces", "{{ nb_etats_liquidatifs }} état(s) liquidatif(s), dont {{ nb_etats_signes }} signé(s) hors application ; "
                       "{{ nb_emargements_signes }} feuille(s) d'émargement signée(s)"),
        )),
        Si("ecarts", (Section("Points d'attention"), Tableau(("Point",), "e in ecarts", ("{{ e }}",)))),
        Texte("Transmis à la DAEPS le {{ date_envoi|date_fr }}."),
        Si("dernier_bilan", (Texte("Les deux bilans sont transmis : le dossier de l'atelier est clos.", gras=True),)),
        Signatures((("L'ordonnateur", ""), ("L'agent comptable / le gestionnaire", "")), (Signataire.PORTEUR, None)),
    ),
)

GABARITS: dict[str, Gabarit] = {g.cle: g for g in (
    LETTRE_APPEL_A_PROJETS, DOSSIER_CANDIDATURE, ACCUSE_RECEPTION, AVIS_DASEN, NOTIFICATION_DECISION, PROCES_VERBAL, NOTIFICATION_CREDITS,
    LETTRE_ENGAGEMENT, DEMANDE_CUMUL, FICHE_INSCRIPTION, LISTE_AUDITEURS, FEUILLE_EMARGEMENT, ETAT_SERVICE_FAIT, ETAT_LIQUIDATIF,
    ATTESTATION, BILAN_PEDAGOGIQUE, BILAN_FINANCIER, EMARGEMENT_MENSUEL, RECAPITULATIF_ANNUEL,
)}

# Stored files that are not filled templates.
AUTRES_DOCUMENTS = {
    "attestations_lot": "Attestations en lot",
    "emargement_signe": "Feuille d'émargement signée",
}


def concerne(type_document: str, contexte: dict) -> str:
    """Whom (or which group and month) a document is about, from its declaration; « » for the others."""
    gabarit = GABARITS.get(type_document)
    if gabarit is None or not gabarit.concerne:
        return ""
    env = Environment(undefined=StrictUndefined, autoescape=False)  # plain text, for a label and a file name
    env.filters.update(FILTRES)
    return " ".join(env.from_string(gabarit.concerne).render(contexte).split())


def signataires(cle: str) -> tuple[Signataire, ...]:
    """Whose signature image and stamp the template prints, from its signature blocks' declarations. A block signed by
    hand on paper (a parent, an intervenant, the visa of a sheet signed after its séance, an ordonnateur the tool does
    not know) declares nobody."""
    trouves: list[Signataire] = []

    def parcourir(contenu) -> None:
        for el in contenu:
            if isinstance(el, Si):
                parcourir(el.contenu)
            elif isinstance(el, Signatures):
                trouves.extend(s for s in el.signataires if s is not None and s not in trouves)

    parcourir(GABARITS[cle].contenu)
    return tuple(trouves)
def obligatoires(type_document: str) -> set[str]:
    """What an académie's own template of that type must print: the variables its `concerne` names (whom the document
    is about) and those it declares in `obligatoires`."""
    gabarit = GABARITS[type_document]
    env = Environment()
    env.filters.update(FILTRES)
    return set(meta.find_undeclared_variables(env.parse(gabarit.concerne))) | set(gabarit.obligatoires)


def libelle_document(type_document: str) -> str:
    """« Attestation de suivi de formation » for « attestation »: what people call the document."""
    if type_document in GABARITS:
        return GABARITS[type_document].titre
    return AUTRES_DOCUMENTS.get(type_document, type_document.replace("_", " "))


def construire_tous() -> list[Path]:
    """Rebuild every template of templates_docx/ from its declaration (`python -m documents.catalogue`)."""
    chemins = []
    for g in GABARITS.values():
        chemin = chemin_gabarit(g.cle)
        construire(g, chemin)
        chemins.append(chemin)
    return chemins


if __name__ == "__main__":
    for c in construire_tous():
        print(c.relative_to(DOSSIER.parent))

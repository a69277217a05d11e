"""Domain core of the OEPRE service: the step table, guards, services, permissions, queries.

French domain words, English technical words. GLOSSAIRE is the one glossary: it explains every French term used
in code, states and step names; README's « Glossaire » is its rendering (tests/test_etapes.py checks both ways).
"""

GLOSSAIRE: dict[str, str] = {
    "OEPRE": "« Ouvrir l'École aux parents pour la réussite des enfants » : ateliers pour parents allophones.",
    "atelier": "Formation OEPRE d'une école ou d'un établissement, en un ou plusieurs groupes.",
    "porteur": "Directeur d'école ou chef d'établissement qui dépose le dossier et fait vivre l'atelier.",
    "intervenant": "Personne qui anime les séances, payée en vacations (décret 2005-909).",
    "auditeur": "Parent inscrit à un atelier.",
    "gestionnaire": "Service payeur (adjoint gestionnaire d'EPLE, service de la DSDEN pour le 1er degré).",
    "DSDEN": "Direction des services départementaux de l'Éducation nationale ; le DASEN y donne son avis.",
    "DASEN": "Inspecteur d'académie – directeur académique des services de l'Éducation nationale.",
    "DAEPS": "Division du rectorat qui gère les crédits et relit les documents produits.",
    "CASNAV": "Centre académique pour la scolarisation des allophones nouvellement arrivés.",
    "comité de pilotage": "Instance (« copil ») qui retient les dossiers et répartit les crédits.",
    "pilote": "Conseiller technique EVS du recteur, qui conduit la campagne.",
    "profil de l'académie": "Règles propres à une académie (heures et effectif d'un groupe), antennes du CASNAV, "
                            "annuaire des contacts et références réglementaires : défauts de la campagne, gardes du "
                            "dépôt, contacts des documents.",
    "modèle de document": "Document Word d'une académie pour un type de document (attestation, lettre…), déposé par "
                          "la DAEPS ou l'administrateur, vérifié, montré en aperçu puis publié ; sans modèle publié, "
                          "le modèle intégré à l'application sert.",
    "version en vigueur": "La dernière version publiée (ou restaurée) du modèle d'un document : celle qui produit les "
                          "documents suivants, et que chacun garde en mémoire.",
    "catalogue des variables": "Les variables qu'un modèle peut employer pour un type de document, avec leur "
                               "description, leur type et un exemple, tirées de son formulaire et du contexte commun.",
    "CT-EVS": "Conseiller technique « Établissements et vie scolaire » du recteur : le pilote académique d'OEPRE.",
    "DDETS": "Direction départementale de l'emploi, du travail et des solidarités : contact départemental de l'Intérieur.",
    "campagne": "Une année scolaire du dispositif : appel à projets, calendrier, seuils, enveloppes.",
    "appel à projets": "Lettre du recteur qui ouvre la campagne.",
    "UAI": "Code à 7 chiffres et une lettre clé qui identifie une école ou un établissement.",
    "PDF balisé": "PDF accessible (options « PDF balisé » et « PDF/UA » de LibreOffice) : arbre de structure (titres, "
                  "tableaux, ordre de lecture), langue française et titre du document, lus par les lecteurs d'écran.",
    "manifeste": "Fichier CONTENU.csv à la racine d'une archive ZIP : une ligne par fichier qu'elle contient (dossier, "
                 "établissement, UAI, type de document, personne concernée, version, format, date, SHA-256).",
    "EPLE": "Établissement public local d'enseignement (collège, lycée) : a un budget propre.",
    "UPE2A": "Unité pédagogique pour élèves allophones arrivants.",
    "primo-arrivant": "Étranger en situation régulière arrivé depuis moins de 5 ans.",
    "vacation": "Heure payée 50/10 000 du traitement annuel brut à l'indice majoré 100 (plafond 250 h sur 12 mois).",
    "cumul d'activités": "Autorisation qu'un agent public demande pour une activité accessoire (décret 2020-69).",
    "service fait": "Certification mensuelle, par le porteur, des heures réellement faites.",
    "état liquidatif": "Liste mensuelle des vacations à payer par la structure payeuse.",
    "vivier du CASNAV": "Liste des candidats intervenants que le CASNAV propose aux écoles qui n'en ont pas.",
    "émargement": "Signature des parents et des intervenants à chaque séance.",
    "signé hors application": "Lettre d'engagement, demande d'autorisation de cumul ou état liquidatif signé sur papier : "
                              "son scan est joint comme nouvelle version, à côté du document produit dont il est la copie "
                              "signée.",
    "signataire": "Titulaire d'une signature et d'un cachet imprimés par les documents qu'il signe : directeur ou chef "
                  "d'établissement (son école), IA-DASEN (son département), pilote et bureau DAEPS (l'académie).",
    "cachet": "Tampon officiel d'une école, d'une DSDEN ou du rectorat, imprimé à côté de la signature de son titulaire.",
    "attestation de suivi de formation": "Document remis au parent : heures suivies sur heures proposées, période, "
                                         "trois axes ; mention d'assiduité au-delà du seuil de la campagne. Jamais de "
                                         "date de naissance ni de nationalité.",
    "évaluation diagnostique": "Niveau d'un parent à l'oral et à l'écrit (alphabétisation, A1.1 à B2), noté à son "
                               "entrée (avec sa scolarisation et s'il lit et écrit sa langue) puis en fin d'année ; le "
                               "progrès est le nombre de niveaux gagnés (onglet « Évaluations » de la page « Parents et "
                               "attestations »).",
    "fiche d'inscription auditeur": "Fiche signée par le parent à l'inscription, bilingue au besoin.",
    "bilan pédagogique": "Bilan de fin d'année (enquête nationale), condition du renouvellement.",
    "bilan financier": "Bilan des dépenses (enquête DAEPS), condition du renouvellement.",
    "enquête nationale": "Questionnaire en ligne du ministère où l'établissement recopie son bilan pédagogique.",
    "reliquat": "Crédits reçus non dépensés en fin d'année : reversés, reportés ou traités autrement.",
    "secret statistique": "Règle de diffusion : aucune case de moins de 5 personnes, ni déductible des totaux.",
    "annuaire de l'éducation": "Fichier national ouvert des écoles et établissements (UAI, adresse, coordonnées).",
    "boîte d'envoi": "Tous les courriels du service, envoyés, en attente ou en échec, consultables dans l'application.",
    "planificateur": "Ce qui lance seul les rappels, les envois, la conservation et le balayage, à leurs heures.",
    "balayage": "Suppression des fichiers qu'une action interrompue a laissés sans enregistrement (orphelins, travail).",
    "anonymisation": "Effacement de ce qui nomme ou joint un parent, en gardant les chiffres des bilans.",
    "P104": "Programme budgétaire 104 du ministère de l'Intérieur (intégration), financeur principal.",
    # The layout of the code (README « Architecture »)
    "phase": "Sélection (étapes 0 à 4), atelier (5 à 10) ou clôture (11) : chacune déclare ses étapes et leur comportement.",
    "noyau": "Ce qui ne connaît aucune phase : forme d'une étape, moteur, accès et périmètre, lectures, calculs partagés.",
    "moteur": "Ce qui applique une étape de la table : permission, formulaire, gardes, verrou, action, documents, un commit.",
    "opération": "Écriture demandée par une personne qui n'est pas une étape (brouillon, feuille signée, lot, relecture, "
                 "téléchargement…) : nommée, permission vérifiée, une transaction, sa trace au journal (workflow/noyau/operations.py).",
    "échéance": "Date de la campagne qui borne une étape (dépôt, avis, comité…) : rappels avant, retards après.",
    # Dossier states
    "brouillon": "Dossier en cours de saisie, pas encore déposé.",
    "depose": "Dossier déposé, en attente de l'avis du DASEN.",
    "avis_donne": "Avis du DASEN rendu, dossier prêt pour le comité.",
    "retenu": "Dossier retenu et financé par le comité.",
    "retenu_sous_conditions": "Dossier retenu, avec des conditions à lever.",
    "non_retenu": "Dossier refusé par le comité (motif obligatoire).",
    "liste_attente": "Dossier en attente d'un financement disponible.",
    "en_cours": "Atelier commencé (au moins une séance).",
    "ateliers_termines": "Séances terminées, bilans à transmettre.",
    "clos": "Les deux bilans sont transmis : dossier fermé.",
    "abandonne": "Atelier abandonné (motif obligatoire), crédits libérés.",
    # Steps (events)
    "creer_dossier": "Étape 1 — le porteur crée son dossier (brouillon) : l'opération qui ouvre l'historique du dossier.",
    "ouvrir_campagne": "Étape 0 — le pilote ouvre la campagne et publie l'appel à projets.",
    "deposer": "Étape 1 — le porteur dépose le dossier de candidature.",
    "rouvrir_depot": "Étape 1 — le pilote rouvre le dépôt après la date limite, jusqu'à une date et avec un motif.",
    "renvoyer_pour_correction": "Étape 1 — DSDEN ou pilote renvoie le dossier au porteur, avec un motif.",
    "emettre_avis": "Étape 2 — le DASEN émet son avis (favorable, avec réserves, défavorable).",
    "decider": "Étape 3 — le comité de pilotage décide et la notification part.",
    "etablir_proces_verbal": "Étape 3 — procès-verbal (relevé de décisions) d'une séance du comité.",
    "notifier_credits": "Étape 4 — la DAEPS notifie les crédits à la structure payeuse.",
    "engager_intervenant": "Étape 5 — lettre d'engagement et demande d'autorisation de cumul.",
    "inscrire_parent": "Étape 6 — fiche d'inscription auditeur.",
    "evaluer_parent": "Étape 7 — évaluation diagnostique initiale puis finale du niveau à l'oral et à l'écrit.",
    "enregistrer_seance": "Étape 8 — séance et feuille d'émargement.",
    "corriger_seance": "Étape 8 — correction d'une séance non encore payée (horaires, présences, absences excusées), "
                       "avec son motif ; la feuille, la grille du mois et le service fait sont produits à nouveau.",
    "annuler_seance": "Étape 8 — annulation motivée d'une séance non encore payée : ni comptée, ni proposée, ni payée.",
    "certifier_service_fait": "Étape 9 — état de service fait mensuel d'un intervenant.",
    "liquider": "Étape 9 — état liquidatif du mois.",
    "suivre_cumul": "Étape 5 — suivi de l'autorisation de cumul d'activités d'un intervenant agent public.",
    "lister_auditeurs": "Étape 6 — liste des auditeurs inscrits, nominative ou anonymisée.",
    "sortir_parent": "Étape 6 — sortie d'un parent de l'atelier (date et motif).",
    "corriger_parent": "Étape 6 — correction motivée de la fiche d'un parent (nom, langue, groupe…), fiche produite à nouveau.",
    "imprimer_emargement_mensuel": "Étape 8 — grille d'émargement d'un groupe pour un mois, à signer sur papier.",
    "recapituler_vacations": "Étape 9 — récapitulatif annuel des heures et de la paie brute d'un intervenant.",
    "attester": "Étape 10 — attestation de suivi de formation d'un parent.",
    "terminer_ateliers": "Étape 10 — fin des séances.",
    "transmettre_bilan_pedagogique": "Étape 11 — bilan pédagogique.",
    "transmettre_bilan_financier": "Étape 11 — bilan financier.",
    "abandonner": "Abandon d'un atelier retenu.",
}

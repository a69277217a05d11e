"""The demo académies' profiles (issue 16 item 4): Toulouse's from its booklet (« Livret d'accompagnement OEPRE »,
contacts académiques), Montpellier's from its academic plan (formations de 90 à 120 heures, CASNAV antennas per
département). People are named by their function and functional mailboxes only: the demo holds nobody's name."""

from forms.contexte import REFERENCES_REGLEMENTAIRES


def _dsden(dep: str, fonction: str, courriel: str) -> dict:
    return {"rubrique": "dsden", "departement": dep, "nom": f"DSDEN {dep}", "fonction": fonction, "courriel": courriel}


def _interieur(dep: str, nom: str, domaine: str) -> dict:
    return {"rubrique": "interieur", "departement": dep, "nom": nom, "fonction": "Référent intégration",
            "courriel": f"integration@{domaine}.gouv.fr"}


PROFILS = {
    "toulouse": {
        "heures_min_par_groupe": "60", "heures_max_par_groupe": None, "taille_groupe_min": 12,
        "references_reglementaires": [*REFERENCES_REGLEMENTAIRES,
                                      "Livret d'accompagnement pour le déploiement du dispositif OEPRE, académie de Toulouse"],
        "antennes_casnav": [],
        "contacts": [
            {"rubrique": "ct_evs", "nom": "Conseiller technique EVS du recteur", "fonction": "Pilote académique OEPRE",
             "courriel": "ct-evs@ac-toulouse.fr", "telephone": "05 36 25 70 00"},
            {"rubrique": "daeps", "nom": "Bureau DOS 5", "fonction": "Cheffe du bureau DOS 5 (crédits éducatifs)",
             "courriel": "dos5@ac-toulouse.fr"},
            {"rubrique": "casnav", "nom": "CASNAV de Toulouse", "fonction": "Coordination académique 1er degré",
             "courriel": "casnav-1d@ac-toulouse.fr"},
            {"rubrique": "casnav", "nom": "CASNAV de Toulouse", "fonction": "Coordination académique 2d degré",
             "courriel": "casnav-2d@ac-toulouse.fr"},
            _dsden("09", "IEN", "ia09-oepre@ac-toulouse.fr"),
            _dsden("12", "Responsable DEME", "ia12-deme@ac-toulouse.fr"),
            _dsden("31", "IEN IO", "ia31-iao@ac-toulouse.fr"),
            _dsden("32", "Cheffe de la division des élèves", "diese32@ac-toulouse.fr"),
            _dsden("46", "Secrétaire général de la DSDEN", "sg46@ac-toulouse.fr"),
            _dsden("65", "IEN IO", "ia65-iao@ac-toulouse.fr"),
            _dsden("81", "Division de l'action éducative et des élèves", "ia81-dae@ac-toulouse.fr"),
            _dsden("82", "IEN IO", "ia82-iao@ac-toulouse.fr"),
            _interieur("09", "DDETSPP de l'Ariège", "ariege"),
            _interieur("12", "DDETSPP de l'Aveyron", "aveyron"),
            _interieur("31", "DDETS de la Haute-Garonne", "haute-garonne"),
            _interieur("32", "DDETSPP du Gers", "gers"),
            _interieur("46", "DDETSPP du Lot", "lot"),
            _interieur("65", "DDETSPP des Hautes-Pyrénées", "hautes-pyrenees"),
            _interieur("81", "DDETSPP du Tarn", "tarn"),
            _interieur("82", "DDETSPP de Tarn-et-Garonne", "tarn-et-garonne"),
        ],
    },
    "montpellier": {
        "heures_min_par_groupe": "90", "heures_max_par_groupe": "120", "taille_groupe_min": 12,
        "references_reglementaires": [*REFERENCES_REGLEMENTAIRES,
                                      "Plan d'action académique de lutte contre le décrochage, académie de Montpellier "
                                      "(priorité 4 : formations OEPRE de 90 à 120 heures)"],
        "antennes_casnav": [{"departement": dep, "antenne": f"Antenne CASNAV {nom} — casnav{dep}@ac-montpellier.fr"}
                            for dep, nom in (("11", "de l'Aude"), ("30", "du Gard"), ("34", "de l'Hérault"),
                                             ("48", "de la Lozère"), ("66", "des Pyrénées-Orientales"))],
        "contacts": [
            {"rubrique": "ct_evs", "nom": "Conseillère technique EVS de la rectrice", "fonction": "Pilote académique OEPRE",
             "courriel": "ct-evs@ac-montpellier.fr", "telephone": "04 67 91 47 00"},
            {"rubrique": "daeps", "nom": "Division des affaires financières", "fonction": "Bureau des crédits pédagogiques",
             "courriel": "credits-pedagogiques@ac-montpellier.fr"},
            {"rubrique": "casnav", "nom": "CASNAV de Montpellier", "fonction": "Coordination académique",
             "courriel": "casnav@ac-montpellier.fr"},
            _dsden("11", "IEN IO", "ia11-iao@ac-montpellier.fr"),
            _dsden("30", "IEN IO", "ia30-iao@ac-montpellier.fr"),
            _dsden("34", "IEN IO", "ia34-iao@ac-montpellier.fr"),
            _dsden("48", "Secrétaire général de la DSDEN", "sg48@ac-montpellier.fr"),
            _dsden("66", "IEN IO", "ia66-iao@ac-montpellier.fr"),
            _interieur("11", "DDETSPP de l'Aude", "aude"),
            _interieur("30", "DDETS du Gard", "gard"),
            _interieur("34", "DDETS de l'Hérault", "herault"),
            _interieur("48", "DDETSPP de la Lozère", "lozere"),
            _interieur("66", "DDETS des Pyrénées-Orientales", "pyrenees-orientales"),
        ],
    },
}

"""Pay oracle (issue 12): a school year of séances whose durations are not a whole number of hundredths of an
hour (1 h 20, 1 h 40, 1 h 50, 2 h 10, 45 min, 1 h 25), two intervenants in two schools, a rate change in the
middle of March. Every amount is recomputed here with fractions.Fraction — minutes × rate / 60, rounded half up
to the cent once per séance by this file's own code, never the project's — and must match, to the cent, the
états de service fait (lines, totals, 12-month hours), the états liquidatifs, the yearly récapitulatifs, the
bilan financier's vacations, the DAEPS workbook's pay sheet and the hours on the attestations."""

import io
import math
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from db.models import Campagne, Document, Dossier, SeanceIntervenant, Utilisateur
from demarrage.demo import COLLEGE_DU_TARN
from forms.vocabulaire import Etat, StatutIntervenant
from infra import settings
from tests.support.fabrique import dossier_en_etat, executer_etape
from workflow import consultation
from workflow.noyau import paie
from workflow.noyau.taux import ajouter_taux, taux_a_la_date

SOFIA, KARIM = "Sofia ÁLVAREZ", "Karim BENALI"
GROUPE_A, GROUPE_B = "Groupe A — débutants", "Groupe B — intermédiaires"
REVALORISATION = date(2026, 3, 16)  # a Monday: 2, 3, 5, 10, 12 March at the old rate, 16, 17, 19… at the new one
ANCIEN, NOUVEAU = Fraction("29.54"), Fraction("30.00")  # the demo's rate, then 50/10 000 of an IM100 of 6 000 €
# (start, end, minutes): none of them is a whole number of hundredths of an hour but 45 min
DUREES = (("14:00", "15:20", 80), ("14:00", "15:40", 100), ("14:00", "15:50", 110), ("14:00", "16:10", 130),
          ("14:00", "14:45", 45), ("14:00", "15:25", 85))
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre")
ETABLISSEMENTS = {"tarn": "Collège Jean-Jaurès (Albi)", "tilleuls": "École élémentaire des Tilleuls (Toulouse)"}


# --- The oracle: this file's own arithmetic and French formats ----------------------------------------------


def taux_oracle(jour: date) -> Fraction:
    return NOUVEAU if jour >= REVALORISATION else ANCIEN


def au_centime(x: Fraction) -> Decimal:
    """Half up to the cent (amounts are positive)."""
    return Decimal(math.floor(x * 100 + Fraction(1, 2))) / 100


def montant_oracle(minutes: int, jour: date) -> Decimal:
    return au_centime(Fraction(minutes) * taux_oracle(jour) / 60)


def euros(x: Decimal | Fraction) -> str:
    entier, cents = divmod(int(au_centime(Fraction(x)) * 100), 100)
    return f"{entier:,}".replace(",", " ") + f",{cents:02d} €"


def duree(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h:,}".replace(",", " ") + " h" + (f" {m:02d}" if m else "")


def heure(texte: str) -> str:
    h, m = texte.split(":")
    return f"{int(h)} h {m}"


def _net(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\xa0", " ")


# --- Driving the application ----------------------------------------------------------------------------------


def _texte(session, acteur, document_id) -> str:
    from tests.support.chromium import texte_docx

    return _net(texte_docx(io.BytesIO(consultation.lire_document(session, acteur, document_id).contenu)))


def _jours(debut: date, fin: date, jour_semaine: int) -> list[date]:
    return [debut + timedelta(days=n) for n in range((fin - debut).days + 1) if (debut + timedelta(days=n)).weekday() == jour_semaine]


def _engager(session, acteur, dossier, nom, prenom, statut, groupe):
    executer_etape(session, acteur, "engager_intervenant", dossier, nom=nom, prenom=prenom, statut=statut,
                   employeur_principal="EN", groupe=groupe, date_debut="2025-11-17", date_fin="2026-06-30", heures_prevues="80",
                   statut_cumul="accorde", atteste_hors_service=True)


@pytest.fixture
def annee(demo, acteurs, monkeypatch):
    """Sofia on Tuesdays in the Tarn and on Thursdays at the Tilleuls, Karim on Mondays at the Tilleuls; two parents in
    the Tarn (Amina at every séance, Léa at every other one). Returns the dossiers and the oracle's séances."""
    tarn = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    tilleuls = dossier_en_etat(demo, Etat.RETENU).dossier
    _engager(demo, acteurs["porteur81"], tarn, "Álvarez", "Sofia", "enseignant_upe2a", GROUPE_A)
    _engager(demo, acteurs["porteur"], tilleuls, "Álvarez", "Sofia", "enseignant_upe2a", GROUPE_A)
    _engager(demo, acteurs["porteur"], tilleuls, "Benali", "Karim", "professeur_hg", GROUPE_B)
    for nom, prenom in (("Haddad", "Amina"), ("Petrova", "Léa")):
        executer_etape(demo, acteurs["porteur81"], "inscrire_parent", tarn, nom=nom, prenom=prenom, groupe=GROUPE_A,
                       date_inscription="2025-11-17", enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    assert taux_a_la_date(demo, date(2025, 11, 18)) == Decimal("29.54")
    ajouter_taux(demo, acteurs["admin"], {"date_effet": REVALORISATION.isoformat(), "im100_annuel": "6000"})
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-07-10")  # every séance below is in the past
    settings.get_settings.cache_clear()

    seances = []  # (atelier, intervenant, date, minutes, start, end)
    plan = (("tarn", tarn, acteurs["porteur81"], SOFIA, GROUPE_A, _jours(date(2025, 11, 18), date(2026, 6, 16), 1), 0),
            ("tilleuls", tilleuls, acteurs["porteur"], SOFIA, GROUPE_A, _jours(date(2025, 11, 20), date(2026, 6, 18), 3), 2),
            ("tilleuls", tilleuls, acteurs["porteur"], KARIM, GROUPE_B, _jours(date(2025, 11, 17), date(2026, 6, 15), 0), 4))
    for atelier, dossier, acteur, intervenant, groupe, jours, decalage in plan:
        for k, jour in enumerate(jours):
            debut, fin, minutes = DUREES[(k + decalage) % len(DUREES)]
            presences = []
            if atelier == "tarn":
                presences = [{"nom": "Haddad", "prenom": "Amina", "statut": "present"},
                             {"nom": "Petrova", "prenom": "Léa", "statut": "present" if k % 2 == 0 else "absent"}]
            executer_etape(demo, acteur, "enregistrer_seance", dossier, groupe=groupe, date_seance=jour.isoformat(),
                           heure_debut=debut, heure_fin=fin, axes=["langue"], intervenants=[intervenant], presences=presences)
            seances.append((atelier, intervenant, jour, minutes, debut, fin))
    return tarn, tilleuls, seances


def _gestionnaire_du_tarn(session):
    from workflow.noyau.auth import acteur_de

    u = Utilisateur(identifiant="paie.dsden81@test.invalid", nom_affiche="DSDEN du Tarn", role="gestionnaire",
                    departement_code="81", mot_de_passe_hash="-")
    session.add(u)
    session.commit()
    return acteur_de(u)


def test_la_seance_de_1_h_20_a_29_54_est_payee_39_39():
    assert montant_oracle(80, date(2026, 1, 6)) == Decimal("39.39")  # 80 × 29,54 / 60 = 39,3866…
    assert paie.montant_vacation(80, Decimal("29.54")) == Decimal("39.39")
    # What rounded hours paid: 1,33 h × 29,54 = 39,2882 → 39,29 €
    assert au_centime(Fraction("1.33") * ANCIEN) == Decimal("39.29")
    for minutes, attendu in ((100, "49.23"), (110, "54.16"), (130, "64.00"), (45, "22.16"), (85, "41.85")):
        assert paie.montant_vacation(minutes, Decimal("29.54")) == montant_oracle(minutes, date(2026, 1, 6)) == Decimal(attendu)


def test_une_annee_de_paie_exacte_dans_chaque_document(demo, acteurs, annee):
    tarn, tilleuls, seances = annee
    dossiers = {"tarn": tarn, "tilleuls": tilleuls}
    porteurs = {"tarn": acteurs["porteur81"], "tilleuls": acteurs["porteur"]}
    payeurs = {"tarn": _gestionnaire_du_tarn(demo), "tilleuls": acteurs["paie31"]}
    mois_de = sorted({s[2].replace(day=1) for s in seances})
    assert len(mois_de) == 8

    # 1. The états de service fait: every line, the total, and the 12-month hours across both ateliers.
    for mois in mois_de:
        fin_du_mois = paie.mois_suivant(mois) - timedelta(days=1)
        for atelier, intervenant in (("tarn", SOFIA), ("tilleuls", SOFIA), ("tilleuls", KARIM)):
            lignes = [s for s in seances if s[0] == atelier and s[1] == intervenant and s[2].replace(day=1) == mois]
            resultat = executer_etape(demo, porteurs[atelier], "certifier_service_fait", dossiers[atelier], intervenant=intervenant,
                                      mois=mois.isoformat(), certifie_par="Le directeur")
            (document,) = resultat.documents
            texte = _texte(demo, porteurs[atelier], document)
            for _, _, jour, minutes, debut, fin in lignes:
                assert (f"{jour:%d/%m/%Y} | {GROUPE_A if intervenant == SOFIA else GROUPE_B} | {heure(debut)} – {heure(fin)} | "
                        f"{duree(minutes)} | {euros(taux_oracle(jour))} | {euros(montant_oracle(minutes, jour))}") in texte
            total = sum((montant_oracle(m, j) for _, _, j, m, _, _ in lignes), Decimal("0"))
            assert f"Total |  |  | {duree(sum(s[3] for s in lignes))} |  | {euros(total)}" in texte
            cumul = sum(m for _, qui, j, m, _, _ in seances if qui == intervenant and paie.un_an_avant(fin_du_mois) < j <= fin_du_mois)
            assert f"(toutes structures) : {duree(cumul)} sur 250 h" in texte

    # The concrete regression: Sofia's first séance in the Tarn, 1 h 20 at 29,54 €/h.
    premiere = demo.exec(select(Document).where(Document.type_document == "etat_service_fait",
                                                Document.dossier_id == tarn.id).order_by(Document.id)).first()
    assert "18/11/2025 | Groupe A — débutants | 14 h 00 – 15 h 20 | 1 h 20 | 29,54 € | 39,39 €" in _texte(
        demo, acteurs["porteur81"], premiere.id)

    # 2. The états liquidatifs: one line per intervenant and rate (two in March), the total; frozen amounts per séance.
    for mois in mois_de:
        for atelier in ("tarn", "tilleuls"):
            resultat = executer_etape(demo, payeurs[atelier], "liquider", dossiers[atelier], structure_payeuse="Service payeur",
                                      mois=mois.isoformat())
            (document,) = resultat.documents
            texte = _texte(demo, payeurs[atelier], document)
            du_mois = [s for s in seances if s[0] == atelier and s[2].replace(day=1) == mois]
            par_taux = defaultdict(lambda: [0, Decimal("0")])
            for _, qui, jour, minutes, _, _ in du_mois:
                par_taux[qui, taux_oracle(jour)][0] += minutes
                par_taux[qui, taux_oracle(jour)][1] += montant_oracle(minutes, jour)
            if mois == date(2026, 3, 1):
                assert len({t for _, t in par_taux}) == 2
            for (qui, taux), (minutes, brut) in par_taux.items():
                statut = (StatutIntervenant.ENSEIGNANT_UPE2A if qui == SOFIA else StatutIntervenant.PROFESSEUR_HG).libelle
                assert f"{qui} | {statut} | {duree(minutes)} | {euros(taux)} | {euros(brut)}" in texte, texte
            assert f"Total |  |  |  | {euros(sum((b for _, b in par_taux.values()), Decimal('0')))}" in texte
    payes = {(si.seance_id, si.intervenant_id): si for si in demo.exec(select(SeanceIntervenant))}
    assert len(payes) == len(seances) and all(si.liquide_le == date(2026, 7, 10) for si in payes.values())
    attendus_payes = sorted(montant_oracle(m, j) for _, _, j, m, _, _ in seances)
    assert sorted(si.montant_paye for si in payes.values()) == attendus_payes

    # 3. The yearly récapitulatifs: month by month and atelier by atelier, every atelier of the intervenant.
    for intervenant, dossier, acteur in ((SOFIA, tilleuls, acteurs["porteur"]), (KARIM, tilleuls, acteurs["porteur"]),
                                         (SOFIA, tarn, acteurs["porteur81"])):
        resultat = executer_etape(demo, acteur, "recapituler_vacations", dossier, intervenant=intervenant)
        (document,) = resultat.documents
        texte = _texte(demo, acteur, document)
        cumuls = defaultdict(lambda: [0, Decimal("0")])
        for atelier, qui, jour, minutes, _, _ in seances:
            if qui == intervenant:
                cumuls[jour.replace(day=1), ETABLISSEMENTS[atelier]][0] += minutes
                cumuls[jour.replace(day=1), ETABLISSEMENTS[atelier]][1] += montant_oracle(minutes, jour)
        for (mois, etablissement), (minutes, brut) in cumuls.items():
            assert f"{MOIS[mois.month - 1]} {mois.year} | {etablissement} | {duree(minutes)} | {euros(brut)}" in texte
        total_minutes = sum(m for m, _ in cumuls.values())
        assert f"Total |  | {duree(total_minutes)} | {euros(sum((b for _, b in cumuls.values()), Decimal('0')))}" in texte

    # 4. The bilan financier: the vacations of the états liquidatifs, to the cent; hours converted once.
    from forms.cloture import BilanFinancierForm
    from workflow.cloture.bilans import financier_calcule

    for atelier, dossier in dossiers.items():
        form = financier_calcule(demo, dossier, BilanFinancierForm(date_envoi=date(2026, 7, 10)))
        assert form.vacations_brut == sum((montant_oracle(m, j) for a, _, j, m, _, _ in seances if a == atelier), Decimal("0"))
        minutes = sum(m for a, _, _, m, _, _ in seances if a == atelier)
        assert form.heures_payees == au_centime(Fraction(minutes, 60)) == form.heures_realisees

    # 5. The DAEPS workbook's pay sheet: exact durations and the liquidated gross, per atelier, intervenant and month.
    from workflow.cloture import exports

    campagne = demo.exec(select(Campagne)).one()
    feuille = load_workbook(io.BytesIO(exports.classeur_daeps(demo, acteurs["daeps"], campagne.id)))["Paie"]
    entetes = [c.value for c in feuille[1]]
    lues = {}
    for ligne in feuille.iter_rows(min_row=2, values_only=True):
        valeurs = dict(zip(entetes, ligne, strict=True))
        mois = valeurs["Mois"].date() if hasattr(valeurs["Mois"], "date") else valeurs["Mois"]
        lues[valeurs["Établissement"], valeurs["Intervenant"], mois] = (
            valeurs["Heures réalisées"], valeurs["Heures liquidées"], Decimal(str(valeurs["Montant brut liquidé"])))
    noms = {"tarn": "Collège Jean-Jaurès", "tilleuls": "École élémentaire des Tilleuls"}
    attendues = defaultdict(lambda: [0, Decimal("0")])
    for atelier, qui, jour, minutes, _, _ in seances:
        nom, prenom = qui.split(" ")[1], qui.split(" ")[0]
        attendues[noms[atelier], f"{nom} {prenom}", jour.replace(day=1)][0] += minutes
        attendues[noms[atelier], f"{nom} {prenom}", jour.replace(day=1)][1] += montant_oracle(minutes, jour)
    assert lues == {cle: (timedelta(minutes=m), timedelta(minutes=m), b) for cle, (m, b) in attendues.items()}
    assert feuille["F2"].number_format == "[h]:mm"

    # 6. The attestations: the hours attended out of the hours offered, exact.
    from db.models import Auditeur

    tarn_minutes = [(k, m) for k, (a, _, _, m, _, _) in enumerate(s for s in seances if s[0] == "tarn")]
    offertes = sum(m for _, m in tarn_minutes)
    for prenom, suivies in (("Amina", offertes), ("Léa", sum(m for k, m in tarn_minutes if k % 2 == 0))):
        parent = demo.exec(select(Auditeur).where(Auditeur.prenom == prenom)).one()
        resultat = executer_etape(demo, acteurs["porteur81"], "attester", tarn, auditeur_id=parent.id, signataire="Le principal",
                                  fonction_signataire="Principal")
        (document,) = resultat.documents
        texte = _texte(demo, acteurs["porteur81"], document)
        assert f"soit {duree(suivies)} de formation sur {duree(offertes)} proposées" in texte, texte

"""The académie's profile (issue 16 item 4), through the service: its operation and validation, who may run it, the
campaign defaults and the filing guards that follow it (Toulouse 60 h, Montpellier 90 to 120 h), the documents that
print its contacts and references, and the scope that keeps the two académies apart."""

import io
from decimal import Decimal

import pytest
from docx import Document as LireDocx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Document, Dossier, JournalAudit, Notification, ProfilAcademie, Utilisateur
from demarrage.demo import ECOLE_MONTPELLIER, ECOLE_PORTEUR, candidature_demo, semer_montpellier
from demarrage.profils import PROFILS
from forms.base import ErreursSaisie, valider
from forms.profil import ProfilAcademieForm
from forms.vocabulaire import Etat, Role
from tests.support.fabrique import dossier_en_etat
from workflow import consultation, services
from workflow.etapes import peut
from workflow.noyau import profil as profils
from workflow.noyau import requetes
from workflow.noyau.auth import acteur_de
from workflow.noyau.moteur import EtapeRefusee
from workflow.noyau.permissions import AccesRefuse, Acteur
from workflow.noyau.transaction import ConflitEdition
from workflow.selection import candidature

REGLAGES_BASE = settings(max_examples=15, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _texte_docx(contenu: bytes) -> str:
    docx = LireDocx(io.BytesIO(contenu))
    texte = "\n".join([p.text for p in docx.paragraphs]
                      + [" | ".join(c.text for c in r.cells) for t in docx.tables for r in t.rows])
    return texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2068", "").replace("\u2069", "")


@pytest.fixture
def deux_academies(demo):
    semer_montpellier(demo)
    par_id = {u.identifiant: acteur_de(u) for u in demo.exec(select(Utilisateur))}
    return {"pilote34": par_id["pilote@ac-montpellier.fr"], "porteur34": par_id["directeur.aubes@ac-montpellier.fr"],
            "dsden34": par_id["dsden34@ac-montpellier.fr"]}


def _valeurs(**changees) -> dict:
    return PROFILS["toulouse"] | changees


# --- The operation and its validation -----------------------------------------------------------------------------


def test_le_pilote_enregistre_le_profil_journalise_et_versionne(demo, acteurs):
    avant = demo.get(ProfilAcademie, "toulouse")
    assert avant.version == 1 and avant.heures_max_par_groupe is None  # the seed saved the booklet's profile
    apres = profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1,
                                             _valeurs(heures_min_par_groupe="72,5", taille_groupe_min=10))
    assert (apres.version, apres.heures_min_par_groupe, apres.taille_groupe_min) == (2, Decimal("72.5"), 10)
    assert apres.modifie_par_id == acteurs["pilote"].id
    seme, trace = demo.exec(select(JournalAudit).where(JournalAudit.action == "modifier_profil_academie",
                                                       JournalAudit.utilisateur_id == acteurs["pilote"].id)
                            .order_by(JournalAudit.id)).all()  # the seed's save, then this one
    assert seme.details["heures_min"] == "60" and trace.objet == "academie:toulouse" and trace.details["heures_min"] == "72.5"


def test_deux_personnes_modifient_le_profil_la_seconde_recoit_le_conflit(demo, acteurs):
    profils.modifier_profil_academie(demo, acteurs["admin"], "toulouse", 1, _valeurs(taille_groupe_min=11))
    with pytest.raises(ConflitEdition, match="Le profil de l'académie a été modifié par une autre personne"):
        profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1, _valeurs(taille_groupe_min=14))
    demo.expire_all()
    assert demo.get(ProfilAcademie, "toulouse").taille_groupe_min == 11  # nothing of the second save was written


def test_un_profil_jamais_enregistre_lit_les_regles_nationales_puis_se_cree_a_la_version_0(demo, acteurs):
    demo.delete(demo.get(ProfilAcademie, "toulouse"))
    demo.commit()
    national = profils.profil_de(demo, "toulouse")
    assert (national.version, national.heures_min_par_groupe, national.taille_groupe_min) == (0, Decimal("60"), 12)
    with pytest.raises(ConflitEdition):
        profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 3, _valeurs())
    assert profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 0, _valeurs()).version == 1


@REGLAGES_BASE
@given(mini=st.decimals(min_value=-50, max_value=400, places=2), maxi=st.none() | st.decimals(min_value=-50, max_value=400, places=2),
       taille=st.integers(min_value=-5, max_value=120))
def test_les_nombres_du_profil_sont_valides_ou_refuses_en_francais_sans_rien_ecrire(demo, acteurs, mini, maxi, taille):
    """Minimum > 0, maximum absent or > 0 and ≥ the minimum, size 1 to 100: anything else is refused with a French
    message naming the field, and the stored profile is unchanged."""
    stocke = demo.get(ProfilAcademie, "toulouse")
    demo.refresh(stocke)
    version = stocke.version
    valide = mini > 0 and (maxi is None or (maxi > 0 and maxi >= mini)) and 1 <= taille <= 100
    donnees = _valeurs(heures_min_par_groupe=str(mini).replace(".", ","), taille_groupe_min=taille,
                       heures_max_par_groupe=None if maxi is None else str(maxi))
    if valide:
        apres = profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", version, donnees)
        assert (apres.version, apres.heures_min_par_groupe, apres.heures_max_par_groupe) == (version + 1, mini, maxi)
        return
    with pytest.raises(ErreursSaisie) as refus:
        profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", version, donnees)
    assert all(m.startswith("«") or m[0].isupper() for m in refus.value.messages)
    assert any(nom in " ".join(refus.value.messages) for nom in ("Heures minimum", "Heures maximum", "Effectif minimum"))
    demo.expire_all()
    assert demo.get(ProfilAcademie, "toulouse").version == version


LIGNE_DE_CONTACT = st.fixed_dictionaries({
    "rubrique": st.sampled_from(["ct_evs", "daeps", "casnav", "dsden", "interieur", "autre"]),
    "nom": st.text(alphabet="ab é-", max_size=5), "courriel": st.sampled_from(["", "a@b.fr", "pas-un-courriel"]),
    "departement": st.sampled_from(["", "31", "3", "ABC"])})


@settings(max_examples=60, deadline=None)
@given(contacts=st.lists(LIGNE_DE_CONTACT, max_size=4))
def test_chaque_contact_est_valide_ou_refuse_avec_sa_ligne(contacts):
    """A contact line is kept when its heading is known, its name has two characters, its e-mail is well-formed or
    empty and its département a code or empty; otherwise the message names the line (« Annuaire des contacts › n° 2 »)."""
    def valide(c):
        return (c["rubrique"] != "autre" and len(c["nom"].strip()) >= 2 and c["courriel"] != "pas-un-courriel"
                and c["departement"] in ("", "31"))
    donnees = _valeurs(contacts=contacts)
    if all(valide(c) for c in contacts):
        assert len(valider(ProfilAcademieForm, donnees).contacts) == len(contacts)
        return
    with pytest.raises(ErreursSaisie) as refus:
        valider(ProfilAcademieForm, donnees)
    premier = next(i for i, c in enumerate(contacts) if not valide(c))
    assert any(f"Annuaire des contacts › n° {premier + 1}" in m for m in refus.value.messages)


def test_un_departement_d_une_autre_academie_est_refuse(demo, acteurs):
    antennes = [{"departement": "34", "antenne": "Antenne de l'Hérault"}]
    with pytest.raises(ErreursSaisie, match="Département 34 : il n'est pas de l'académie de Toulouse"):
        profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1, _valeurs(antennes_casnav=antennes))


def test_sans_reference_reglementaire_le_profil_est_refuse(demo, acteurs):
    with pytest.raises(ErreursSaisie, match="Références réglementaires"):
        profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1, _valeurs(references_reglementaires=[]))


# --- Who may edit it: every role, against the operation's declared editors --------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_matrice_des_roles_du_profil(demo, acteurs, role):
    """Admin and pilote save their académie's profile; every other role is refused before anything is read, and
    `peut` (what the page asks) says the same."""
    acteur = next(a for a in acteurs.values() if a.role == role)
    autorise = role in (Role.ADMIN, Role.PILOTE)
    assert peut(acteur, "modifier_profil_academie") is autorise
    if autorise:
        assert profils.modifier_profil_academie(demo, acteur, "toulouse", 1, _valeurs(taille_groupe_min=13)).version == 2
    else:
        with pytest.raises(AccesRefuse, match="n'est pas ouverte au rôle"):
            profils.modifier_profil_academie(demo, acteur, "toulouse", 1, _valeurs(taille_groupe_min=13))
        demo.expire_all()
        assert demo.get(ProfilAcademie, "toulouse").version == 1


@pytest.mark.parametrize("academie", ["toulouse", "montpellier"])
def test_un_pilote_ne_modifie_que_le_profil_de_son_academie(demo, acteurs, deux_academies, academie):
    for pilote, la_sienne in ((acteurs["pilote"], "toulouse"), (deux_academies["pilote34"], "montpellier")):
        version = demo.get(ProfilAcademie, academie).version
        if la_sienne == academie:
            assert profils.modifier_profil_academie(demo, pilote, academie, version, PROFILS[academie]).version == version + 1
        else:
            with pytest.raises(AccesRefuse, match="pas celui de votre académie"):
                profils.modifier_profil_academie(demo, pilote, academie, version, PROFILS[academie])


# --- Campaign defaults and filing guards follow the profile -------------------------------------------------------


def test_les_defauts_de_campagne_suivent_le_profil(demo, acteurs, deux_academies):
    toulouse = profils.defauts_de_campagne(profils.profil_de(demo, "toulouse"))
    montpellier = profils.defauts_de_campagne(profils.profil_de(demo, "montpellier"))
    assert (toulouse["heures_min_par_groupe"], toulouse["taille_groupe_min"]) == (Decimal("60"), 12)
    assert (montpellier["heures_min_par_groupe"], montpellier["heures_max_par_groupe"]) == (Decimal("90"), Decimal("120"))
    profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1,
                                     _valeurs(heures_min_par_groupe="75", taille_groupe_min=9))
    apres = profils.defauts_de_campagne(profils.profil_de(demo, "toulouse"))
    assert (apres["heures_min_par_groupe"], apres["taille_groupe_min"]) == (Decimal("75"), 9)
    campagne34 = requetes.campagne_courante(demo, deux_academies["pilote34"])
    assert (campagne34.academie_code, campagne34.heures_min_par_groupe) == ("montpellier", Decimal("90"))


def _deposer(demo, porteur: Acteur, uai: str, heures: str):
    campagne = requetes.campagne_courante(demo, porteur)
    dossier_id = candidature.creer_dossier(demo, porteur, campagne_id=campagne.id, uai=uai)
    donnees = candidature_demo(heures=heures)
    for g in donnees["groupes"]:
        g["heures_prevues"] = heures
    for i in donnees["intervenants"]:
        i["heures_prevues"] = heures
    return services.executer(demo, porteur, "deposer", dossier_id=dossier_id, version=demo.get(Dossier, dossier_id).version,
                             donnees=donnees, pdf_apres=False)


@pytest.mark.parametrize("heures, toulouse_accepte, montpellier_accepte",
                         [("59", False, False), ("70", True, False), ("90", True, True), ("120", True, True),
                          ("121", True, False)])
def test_les_gardes_du_depot_lisent_le_profil_de_l_academie_du_dossier(demo, acteurs, deux_academies, heures,
                                                                      toulouse_accepte, montpellier_accepte):
    """A 70 h atelier is fine in Toulouse (60 h at least) and refused in Montpellier (90 to 120 h), with its reason."""
    for porteur, uai, accepte, academie in ((acteurs["porteur"], ECOLE_PORTEUR, toulouse_accepte, "Toulouse"),
                                            (deux_academies["porteur34"], ECOLE_MONTPELLIER, montpellier_accepte, "Montpellier")):
        if accepte:
            assert _deposer(demo, porteur, uai, heures).etat == Etat.DEPOSE
            continue
        with pytest.raises(EtapeRefusee) as refus:
            _deposer(demo, porteur, uai, heures)
        messages = " ".join(b.message for b in refus.value.blocages if b.bloquant)
        if academie == "Montpellier" and heures != "59":
            attendu = ("le minimum est de 90 h selon le profil de l'académie de Montpellier" if heures == "70"
                       else "au-delà du maximum de 120 h que fixe le profil de l'académie de Montpellier")
            assert f"Groupe « Groupe A — débutants » : {heures} h prévues, {attendu}." in messages
        else:
            assert f"{heures} h prévues, le minimum est de" in messages


def test_la_taille_minimum_du_profil_est_gardee_au_depot(demo, acteurs):
    profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1, _valeurs(taille_groupe_min=14))
    with pytest.raises(EtapeRefusee, match="effectif prévu 13, le minimum est de 14 parents selon le profil de l'académie de Toulouse"):
        _deposer(demo, acteurs["porteur"], ECOLE_PORTEUR, "80")


# --- Documents print the profile's contacts and references -------------------------------------------------------


def test_l_appel_a_projets_et_la_notification_impriment_contacts_et_references(demo, acteurs, reglages):
    reference = "Note académique n° 2025-42 relative aux ateliers OEPRE"
    contacts = [*PROFILS["toulouse"]["contacts"],
                {"rubrique": "casnav", "nom": "Coordination CASNAV du Tarn", "departement": "81", "courriel": "casnav81@ac-toulouse.fr"}]
    profils.modifier_profil_academie(demo, acteurs["pilote"], "toulouse", 1, _valeurs(
        references_reglementaires=[*PROFILS["toulouse"]["references_reglementaires"], reference], contacts=contacts))
    suivante = services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False, donnees={
        "annee_scolaire": "2026-2027", "date_ouverture": "2026-09-07", "date_limite_depot": "2026-10-02",
        "date_limite_avis_dasen": "2026-10-16", "date_copil": "2026-11-04", "date_notification": "2026-11-11",
        "date_debut_ateliers_min": "2026-11-16", "date_fin_ateliers": "2027-06-25", "date_limite_bilan_pedagogique": "2027-07-02",
        "date_limite_bilan_financier": "2027-07-09", "budget_p104": "1000", "budget_en": "1000"})
    (appel,) = [demo.get(Document, i) for i in suivante.documents]
    texte = _texte_docx((reglages.documents_dir / appel.chemin).read_bytes())
    assert reference in texte and "Livret d'accompagnement" in texte
    assert "dos5@ac-toulouse.fr" in texte and "ia31-iao@ac-toulouse.fr" in texte and "casnav81@ac-toulouse.fr" in texte
    assert "integration@tarn.gouv.fr" in texte  # the Interior's departmental contacts, every département
    # The Tilleuls dossier's decision: the académie's contacts and its own département's (Haute-Garonne) only.
    fab = dossier_en_etat(demo, Etat.RETENU)
    notification = demo.exec(select(Document).where(Document.dossier_id == fab.dossier.id, Document.format == "docx",
                                                    Document.type_document == "notification_decision")).one()
    texte = _texte_docx((reglages.documents_dir / notification.chemin).read_bytes())
    assert reference in texte and "Vos contacts" in texte
    assert "ct-evs@ac-toulouse.fr" in texte and "ia31-iao@ac-toulouse.fr" in texte and "integration@haute-garonne.gouv.fr" in texte
    assert "casnav81@ac-toulouse.fr" not in texte and "ia81-dae@ac-toulouse.fr" not in texte  # the Tarn's


# --- Two académies in one base: each sees its own ---------------------------------------------------------------


def test_montpellier_et_toulouse_ne_voient_que_leurs_donnees(demo, acteurs, deux_academies):
    t, m = requetes.campagne_courante(demo, acteurs["pilote"]), requetes.campagne_courante(demo, deux_academies["pilote34"])
    assert (t.academie_code, m.academie_code, t.annee_scolaire) == ("toulouse", "montpellier", m.annee_scolaire)
    assert [c.academie_code for c in requetes.campagnes(demo, deux_academies["pilote34"])] == ["montpellier"]
    vus_t = {d.uai for d in requetes.dossiers_visibles(demo, acteurs["pilote"])}
    vus_m = {d.uai for d in requetes.dossiers_visibles(demo, deux_academies["pilote34"])}
    assert ECOLE_MONTPELLIER in vus_m and ECOLE_MONTPELLIER not in vus_t and vus_m == {ECOLE_MONTPELLIER}
    dossier34 = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_MONTPELLIER)).one()
    with pytest.raises(AccesRefuse, match="autre académie"):
        consultation.dossier_detail(demo, acteurs["pilote"], dossier34.id)
    with pytest.raises(AccesRefuse, match="autre académie"):
        consultation.dossier_detail(demo, deux_academies["pilote34"], demo.exec(
            select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one().id)
    with pytest.raises(AccesRefuse, match="pas celle de l'académie"):  # a head applies to its académie's campaign only
        candidature.creer_dossier(demo, deux_academies["porteur34"], campagne_id=t.id, uai=ECOLE_MONTPELLIER)


def test_un_dossier_de_montpellier_va_du_depot_a_la_decision(demo, deux_academies):
    res = _deposer(demo, deux_academies["porteur34"], ECOLE_MONTPELLIER, "100")
    dossier = demo.get(Dossier, res.dossier_id) if getattr(res, "dossier_id", None) else demo.exec(
        select(Dossier).where(Dossier.uai == ECOLE_MONTPELLIER)).one()
    services.executer(demo, deux_academies["dsden34"], "emettre_avis", dossier_id=dossier.id, version=dossier.version, pdf_apres=False,
                      donnees={"avis": "favorable", "priorite_departementale": 1, "signataire": "Le DASEN de l'Hérault"})
    demo.refresh(dossier)
    res = services.executer(demo, deux_academies["pilote34"], "decider", dossier_id=dossier.id, version=dossier.version,
                            pdf_apres=False, donnees={"decision": "retenu", "heures_financees": "200", "montant_p104": "3000",
                                                      "montant_en": "1000"})
    assert res.etat == Etat.RETENU
    (notification,) = [demo.get(Document, i) for i in res.documents]
    texte = _texte_docx((profils.get_settings().documents_dir / notification.chemin).read_bytes())
    assert "Montpellier" in texte and "ia34-iao@ac-montpellier.fr" in texte and "casnav34@ac-montpellier.fr" in texte
    assert "Plan d'action académique" in texte and "ac-toulouse.fr" not in texte
    # Its e-mails go to Montpellier's staff and head, never to Toulouse's pilote or DAEPS.
    envois = {(n.type_notification, n.destinataire) for n in demo.exec(select(Notification).where(
        Notification.dossier_id == dossier.id))}
    assert envois == {("depot_recu", "dsden34@ac-montpellier.fr"), ("avis_donne", "pilote@ac-montpellier.fr"),
                      ("decision_notifiee", "directeur.aubes@ac-montpellier.fr")}

"""Signatures and stamps: who sets them (the holder, the académie's administrator, nobody else), the checks of an
upload, the transparent background, versions that never overwrite, the audit log, and batches that print them."""

import io
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlmodel import select

from db.models import Campagne, Etablissement, ImageSignataire, JournalAudit
from documents import lot, stockage
from forms.atelier import AttestationForm
from forms.base import ErreursSaisie
from forms.vocabulaire import NatureImage, Signataire
from tests.support.images import cachet_png, signature_png
from workflow.noyau import moteur, signatures
from workflow.noyau.permissions import AccesRefuse

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
                                     indirect=True)

# Every demo account against every signatory of the Tilleuls' scope (school 31, département 31, académie of Toulouse).
AUTORISES = {
    (Signataire.PORTEUR, "porteur"), (Signataire.DASEN, "dsden31"), (Signataire.PILOTE, "pilote"), (Signataire.DAEPS, "daeps"),
    *((s, "admin") for s in Signataire),
}


def _perimetres(demo, acteurs) -> dict[Signataire, str]:
    etab = demo.get(Etablissement, acteurs["porteur"].uai)
    academie = demo.exec(select(Campagne)).first().academie_code
    return {Signataire.PORTEUR: etab.uai, Signataire.DASEN: etab.departement_code, Signataire.PILOTE: academie,
            Signataire.DAEPS: academie}


def test_seuls_le_titulaire_et_l_administrateur_posent_une_image(demo, acteurs):
    perimetres = _perimetres(demo, acteurs)
    constate = set()
    for signataire, perimetre in perimetres.items():
        for nom, acteur in acteurs.items():
            try:
                signatures.deposer_image(demo, acteur, signataire=signataire, perimetre=perimetre,
                                         nature=NatureImage.SIGNATURE, nom="s.png", contenu=signature_png())
                constate.add((signataire, nom))
            except AccesRefuse:
                pass
    assert constate == AUTORISES
    # the other département's DSDEN, the other school's head: refused, as a delegate who only prepares
    assert {(v.signataire, v.version) for v in demo.exec(select(ImageSignataire))} == {
        (s.value, n) for s in Signataire for n in range(1, 3)}


def test_l_administrateur_d_une_autre_academie_est_refuse(demo, acteurs):
    from dataclasses import replace

    autre = replace(acteurs["admin"], academie="montpellier")
    with pytest.raises(AccesRefuse):
        signatures.deposer_image(demo, autre, signataire=Signataire.DASEN, perimetre="31", nature=NatureImage.CACHET,
                                 nom="c.png", contenu=cachet_png())
    assert signatures.titulaires(demo, acteurs["porteur"])[0].perimetre == acteurs["porteur"].uai
    assert signatures.titulaires(demo, acteurs["comite"]) == []


def test_remplacer_est_une_nouvelle_version_journalisee_et_retirer_une_version_vide(demo, acteurs):
    pilote = acteurs["pilote"]
    academie = _perimetres(demo, acteurs)[Signataire.PILOTE]
    args = {"signataire": Signataire.PILOTE, "perimetre": academie, "nature": NatureImage.SIGNATURE}
    v1 = signatures.deposer_image(demo, pilote, **args, nom="a.png", contenu=signature_png((0, 0, 200)))
    v2 = signatures.deposer_image(demo, pilote, **args, nom="b.png", contenu=signature_png((200, 0, 0)))
    v3 = signatures.retirer_image(demo, pilote, **args)
    assert (v1.version, v2.version, v3.version) == (1, 2, 3) and v3.chemin is None
    assert stockage.depot().lire(v1.chemin, v1.sha256) != stockage.depot().lire(v2.chemin, v2.sha256)  # v1 kept as it was
    assert signatures.image_actuelle(demo, pilote, **args) is None
    historique = signatures.historique(demo, pilote, **args)
    assert [(h.version, h.present, h.par) for h in historique] == [(3, False, pilote.nom), (2, True, pilote.nom),
                                                                   (1, True, pilote.nom)]
    journal = demo.exec(select(JournalAudit).where(JournalAudit.objet == f"pilote:{academie}").order_by(JournalAudit.id)).all()
    assert [(j.action, j.details["version"]) for j in journal] == [
        ("deposer_image_signataire", 1), ("deposer_image_signataire", 2), ("retirer_image_signataire", 3)]
    with pytest.raises(AccesRefuse):
        signatures.historique(demo, acteurs["daeps"], **args)


def test_fond_transparent_garde_et_papier_blanc_rendu_transparent(demo, acteurs):
    porteur = acteurs["porteur"]
    args = {"signataire": Signataire.PORTEUR, "perimetre": porteur.uai, "nature": NatureImage.SIGNATURE}
    for nom, contenu in (("s.png", signature_png()), ("scan.jpg", signature_png(fmt="JPEG"))):
        signatures.deposer_image(demo, porteur, **args, nom=nom, contenu=contenu)
        image = Image.open(io.BytesIO(signatures.image_actuelle(demo, porteur, **args)))
        assert image.format == "PNG" and image.mode == "RGBA"
        alpha = image.getchannel("A")
        assert alpha.getextrema() == (0, 255), nom  # the background transparent, the stroke opaque
        assert image.getpixel((0, 0))[3] == 0 or image.width < 600  # trimmed to what is drawn


@pytest.mark.parametrize(("nom", "contenu", "motif"), [
    ("signature.gif", b"GIF89a....", "ni une image PNG ni une image JPEG"),
    ("signature.pdf", b"%PDF-1.7", "ni une image PNG ni une image JPEG"),
    ("signature.png", b"", "est vide"),
    ("signature.png", signature_png(fmt="JPEG"), "contient une image JPEG"),
    ("signature.jpg", b"PK\x03\x04 a docx", "contient un document bureautique"),
    ("signature.png", signature_png()[:120], "est endommagée"),
    ("signature.png", b"\x89PNG\r\n\x1a\n" + b"0" * (6 * 1024 * 1024), "5 Mo au plus"),
    ("blanc.jpg", signature_png(couleur=(255, 255, 255), fmt="JPEG"), "est vide (entièrement transparente ou blanche)"),
])
def test_televersement_refuse_avec_sa_raison(demo, acteurs, nom, contenu, motif):
    porteur = acteurs["porteur"]
    with pytest.raises(ErreursSaisie) as refus:
        signatures.deposer_image(demo, porteur, signataire=Signataire.PORTEUR, perimetre=porteur.uai,
                                 nature=NatureImage.SIGNATURE, nom=nom, contenu=contenu)
    assert motif in " ".join(refus.value.messages) and refus.value.messages[0].startswith("« Image » :")
    assert demo.exec(select(ImageSignataire)).all() == []


def test_image_demesuree_refusee_avant_d_etre_decodee(demo, acteurs):
    sortie = io.BytesIO()
    Image.new("1", (6000, 6000)).save(sortie, format="PNG")  # 36 Mpx in a few kilobytes
    with pytest.raises(ErreursSaisie, match="6\u202f000 × 6\u202f000 pixels"):
        signatures.preparer("enorme.png", sortie.getvalue())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(octets=st.binary(max_size=2000), nom=st.sampled_from(["s.png", "s.jpg", "s.jpeg", "s", "s.PNG"]))
def test_un_fichier_quelconque_est_refuse_en_francais_jamais_par_une_trace(database_url, octets, nom):
    try:
        signatures.preparer(nom, octets)
    except ErreursSaisie as refus:
        assert refus.messages and all(e.startswith("« Image » :") for e in refus.messages)


@pytest.mark.parametrize(("largeur", "hauteur", "nature", "attendu"), [
    (600, 200, NatureImage.SIGNATURE, 45.0), (200, 200, NatureImage.SIGNATURE, 18.0), (400, 400, NatureImage.CACHET, 30.0),
    (100, 400, NatureImage.CACHET, 7.5)])
def test_taille_imprimee_dans_sa_case(database_url, largeur, hauteur, nature, attendu):
    assert signatures.largeur_mm(nature, largeur, hauteur) == attendu


def test_un_lot_d_attestations_porte_la_signature_du_directeur(demo, acteurs):
    porteur = acteurs["porteur"]
    png = signatures.deposer_image(demo, porteur, signataire=Signataire.PORTEUR, perimetre=porteur.uai,
                                   nature=NatureImage.SIGNATURE, nom="s.png", contenu=signature_png()).sha256
    campagne = demo.exec(select(Campagne)).first()
    commun = moteur.contexte_commun(demo, campagne, demo.get(Etablissement, porteur.uai), None, "REF")
    copies = [moteur.contexte_du_document("attestation", commun, AttestationForm(
        auditeur_id=i, parent_nom=f"Nom{i}", parent_prenom="Prénom", date_debut=date(2025, 11, 17), date_fin=date(2026, 6, 19),
        minutes_presentes=600, minutes_proposees=1200, assiduite=False, signataire="Claire Martin",
        fonction_signataire="Directrice")) for i in range(3)]
    docx = lot.rendre_en_boucle("attestation", {"academie": "Toulouse"}, copies)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        medias = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
        dessins = z.read("word/document.xml").count(b"<w:drawing>")
    assert [stockage.sha256(m) for m in medias] == [png] and dessins == 3  # one image part, printed on each copy

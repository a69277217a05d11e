"""ZIP exports named from the dossier (documents.archive): whatever schools and people are called, every entry has a
readable ASCII name under its year and school, none escapes the archive's folder, no two collide (not even ignoring
case), and the manifest lists each file with its checksum."""

import csv
import hashlib
import io
import posixpath
import re
import zipfile
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from documents.archive import MANIFESTE, Piece, construire, nom_lisible
from documents.tableur import cellule_csv

# What people type and what was imported: scripts, path tricks, characters file systems refuse, controls, long names.
MORCEAUX = st.sampled_from(["École des Tilleuls", "..", ".", "/", "\\", "../../etc/passwd", "C:\\Windows", "CON", "a:b",
                            '*?"<>|', "\x00", "\u202e", "فاطمة الزهراء", "Ольга Кузнецова", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "😀", " ", "-", "'",
                            "Jean-Jaurès", "x" * 90, "=SOMME(A1)", "TILLEULS", "tilleuls"])
TEXTE = st.lists(st.one_of(MORCEAUX, st.text(max_size=12)), max_size=4).map("".join)
PIECES = st.lists(st.builds(Piece, contenu=st.binary(max_size=20), annee_scolaire=st.sampled_from(["2025-2026", "../2026"]),
                            dossier=st.just("2025-031-0002"), etablissement=TEXTE, uai=st.sampled_from(["0310001H", "", "../"]),
                            type_document=st.sampled_from(["Attestation de suivi de formation", "Avis de l'IA-DASEN", ""]),
                            concerne=TEXTE, version=st.integers(1, 3), format=st.sampled_from(["pdf", "docx", "zip"]),
                            genere_at=st.just(datetime(2026, 6, 26, 9, 30, tzinfo=UTC)), sha256=st.just("")),
                  max_size=8)
INTERDITS = re.compile(r'[\\:*?"<>|\x00-\x1f\x7f]')


@settings(max_examples=150, deadline=None)
@given(PIECES)
def test_noms_lisibles_sans_collision_ni_sortie_du_dossier(pieces):
    archive = zipfile.ZipFile(io.BytesIO(construire(pieces)))
    noms = archive.namelist()
    assert noms[-1] == MANIFESTE and len(noms) == len(pieces) + 1
    assert len({n.casefold() for n in noms}) == len(noms)
    for nom, piece in zip(noms, pieces):
        assert nom.isascii() and not INTERDITS.search(nom), nom
        parties = nom.split("/")
        assert len(parties) == 3 and all(p and p == p.strip(" ") and not p.startswith(".") for p in parties), nom
        assert not posixpath.normpath(nom).startswith(("..", "/"))
        assert re.search(rf"(/| - )v{piece.version}( \(\d+\))?\.{piece.format}$", nom), nom
        assert archive.read(nom) == piece.contenu
    lignes = list(csv.reader(io.StringIO(archive.read(MANIFESTE).decode("utf-8-sig")), delimiter=";"))
    assert [ligne[0] for ligne in lignes[1:]] == noms[:-1]
    # the school and the person as typed, whatever their file name had to lose (as every CSV cell: documents.tableur)
    assert [(ligne[2], ligne[5]) for ligne in lignes[1:]] == [(cellule_csv(p.etablissement), cellule_csv(p.concerne))
                                                              for p in pieces]


@given(st.from_regex(r"[A-Za-z0-9]{1,10}( [A-Za-z0-9]{1,10}){0,4}", fullmatch=True))
def test_un_nom_en_ascii_reste_tel_quel(texte):
    assert nom_lisible(texte) == texte


def test_les_noms_restent_lisibles():
    assert nom_lisible("École élémentaire Jean-Jaurès") == "Ecole elementaire Jean-Jaures"
    assert nom_lisible("Ольга Кузнецова") == "Olga Kuznetsova"
    assert nom_lisible("../../etc/passwd") == "etc passwd"
    assert nom_lisible("\u202e\x00") == nom_lisible("") == "sans nom"


def test_le_manifeste_donne_l_empreinte_de_chaque_fichier():
    piece = Piece(b"%PDF-1.7", "2025-2026", "2025-031-0002", "École des Tilleuls", "0310001H",
                  "Attestation de suivi de formation", "Amina Haddad", 2, "pdf", datetime(2026, 6, 26, 9, 30, tzinfo=UTC),
                  hashlib.sha256(b"%PDF-1.7").hexdigest())
    archive = zipfile.ZipFile(io.BytesIO(construire([piece])))
    nom = "2025-2026/0310001H Ecole des Tilleuls/Attestation de suivi de formation - Amina Haddad - v2.pdf"
    assert archive.namelist() == [nom, MANIFESTE]
    (entete, ligne) = csv.reader(io.StringIO(archive.read(MANIFESTE).decode("utf-8-sig")), delimiter=";")
    assert dict(zip(entete, ligne)) == {
        "Fichier": nom, "Dossier": "2025-031-0002", "Établissement": "École des Tilleuls", "UAI": "0310001H",
        "Type de document": "Attestation de suivi de formation", "Concerne": "Amina Haddad", "Version": "2", "Format": "PDF",
        "Généré le (UTC)": "2026-06-26 09:30:00", "SHA-256": hashlib.sha256(b"%PDF-1.7").hexdigest()}


@settings(max_examples=150, deadline=None)
@given(annees=st.sets(st.sampled_from(["2025-2026", "2026-2027"]), max_size=2), etape=st.none() | st.sampled_from(["attester", "liquider"]),
       departement=st.none() | st.sampled_from(["31", "2A"]), uai=st.none() | TEXTE)
def test_le_zip_telecharge_porte_un_nom_de_fichier_sur_tire_de_ses_filtres(annees, etape, departement, uai):
    from workflow.revue import nom_de_l_archive

    nom = nom_de_l_archive(annees, etape=etape, departement=departement, uai=uai or None)
    assert nom.startswith("documents-oepre-") and nom.endswith(".zip") and nom.isascii()
    assert "/" not in nom and not INTERDITS.search(nom) and " " not in nom
    assert all(annee in nom for annee in annees) and (etape is None or etape in nom)
    if not uai:
        assert (f"departement-{departement}" if departement else "academie") in nom

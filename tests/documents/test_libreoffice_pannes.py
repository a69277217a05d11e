"""Issue 14, item 4: a LibreOffice that crashes, hangs or writes something else than a PDF is reported within
seconds, its output is never taken for the PDF, and none of its processes outlives the conversion.

The faulty converters are small executables put where `soffice` is looked for: the real conversion path runs
(process group, timeout, output checks); only the converter misbehaves, as a broken installation would."""

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from documents import pdf
from tests.conftest import RACINE

DOCX = (RACINE / "templates_docx" / "attestation.docx").read_bytes()


def _convertisseur(tmp_path: Path, nom: str, corps: str) -> str:
    chemin = tmp_path / nom
    chemin.write_text("#!/bin/sh\n" + corps)
    chemin.chmod(chemin.stat().st_mode | stat.S_IEXEC)
    return str(chemin)


def _processus_de(marque: str) -> list[str]:
    sortie = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    return [ligne for ligne in sortie.splitlines() if marque in ligne and "ps -eo" not in ligne]


SORTIE = 'for a in "$@"; do case "$a" in --outdir) o=1;; *) if [ "$o" = 1 ]; then d="$a"; o=0; fi;; esac; done\n'


@pytest.mark.parametrize(("nom", "corps", "message"), [
    ("soffice-segfault", "kill -SEGV $$\n", "arrêté par le signal 11"),
    ("soffice-rien", "exit 0\n", "n'a pas converti 1 fichier(s) sur 1 (code 0)"),
    ("soffice-faux-pdf", SORTIE + 'echo "pas un PDF" > "$d/document.pdf"\nexit 0\n', "n'est pas un PDF lisible"),
    ("soffice-pdf-vide", SORTIE + 'printf "%%PDF-1.4\\n%%%%EOF\\n" > "$d/document.pdf"\nexit 0\n', "n'est pas un PDF lisible"),
])
def test_un_convertisseur_defaillant_est_signale_vite(tmp_path, nom, corps, message):
    faux = _convertisseur(tmp_path, nom, corps)
    debut = time.monotonic()
    with pytest.raises(pdf.ConversionEchouee, match=message.replace("(", r"\(").replace(")", r"\)")):
        pdf.convertir_froid(DOCX, soffice=faux)
    assert time.monotonic() - debut < 5
    with pytest.raises(pdf.ConversionEchouee):  # the persistent path falls back to the same checks
        pdf.ConvertisseurPersistant(soffice=faux, unoserver=tmp_path / "absent").convertir(DOCX)


def test_un_convertisseur_qui_ne_rend_pas_la_main_est_arrete_avec_ses_enfants(tmp_path):
    marque = f"oepre-bloque-{os.getpid()}"
    faux = _convertisseur(tmp_path, "soffice-bloque", f'sh -c "exec -a {marque} sleep 300" &\nsleep 300\n')
    debut = time.monotonic()
    with pytest.raises(pdf.ConversionEchouee, match="n'a pas terminé la conversion en 2 s ; il a été arrêté"):
        pdf.convertir_froid(DOCX, soffice=faux, timeout=2)
    assert time.monotonic() - debut < 6
    time.sleep(0.2)
    assert _processus_de(marque) == []  # the child it started is gone too


@pytest.mark.libreoffice
def test_le_vrai_libreoffice_ne_laisse_aucun_processus(tmp_path):
    from tests.conftest import exiger_outil, libreoffice_present

    exiger_outil(libreoffice_present(), "LibreOffice absent")
    profil = tmp_path / "profil-pannes"
    pdf.verifier_pdf(pdf.convertir_lot([_docx(tmp_path)], tmp_path / "sortie", profil=profil)[0].read_bytes())
    time.sleep(0.3)
    assert _processus_de(profil.resolve().as_uri()) == []


def _docx(tmp_path: Path) -> Path:
    chemin = tmp_path / "attestation.docx"
    chemin.write_bytes(DOCX)
    return chemin


def test_le_convertisseur_persistant_sur_un_libreoffice_qui_plante_repond_en_quelques_secondes(tmp_path):
    """unoserver outlived a LibreOffice that crashed at start: the person waited 91 s. Now a few seconds, one start."""
    from tests.conftest import exiger_outil

    exiger_outil(pdf.UNOSERVER.exists(), "unoserver absent")
    faux = _convertisseur(tmp_path, "soffice-segfault", "kill -SEGV $$\n")
    convertisseur = pdf.ConvertisseurPersistant(soffice=faux)
    debut = time.monotonic()
    with pytest.raises(pdf.ConversionEchouee, match="arrêté par le signal 11"):
        convertisseur.convertir(DOCX)
    assert time.monotonic() - debut < 10
    assert not convertisseur.disponible and convertisseur._processus is None

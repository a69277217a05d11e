"""A CSV file a person uploads (the directory of schools, the schools' accounts), read whole before anything is
written: UTF-8 (with or without its mark), « ; » or « , » as the header line uses, each record with the line it
starts on (a quoted cell may hold line breaks). A file that cannot be read is refused as a whole, in French."""

import csv
import io

from forms.base import ErreursSaisie

RIEN = "Rien n'a été importé."


def lire_csv(contenu: bytes, ligne_de: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(the header's names as written, [(line number, record)]). `ligne_de` names what a line should be (« une ligne de
    l'annuaire ») for the message on a cell too large to be one."""
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = contenu[:exc.start].count(b"\n") + 1
        raise ErreursSaisie([f"Ligne {ligne} : le fichier n'est pas encodé en UTF-8 (caractère accentué illisible, "
                             "probablement du Latin-1 ou du Windows-1252). Réenregistrez-le au format « CSV UTF-8 » puis "
                             f"déposez-le à nouveau. {RIEN}"]) from exc
    premiere = texte.split("\n", 1)[0]
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=";" if premiere.count(";") >= premiere.count(",") else ",")
    rangees, debut = [], 2
    try:
        lecteur.fieldnames  # noqa: B018 (reads the header line)
        while True:
            debut = lecteur.line_num + 1
            try:
                rangees.append((debut, next(lecteur)))
            except StopIteration:
                break
    except csv.Error as exc:  # a carriage return alone inside an unquoted cell; a cell over the reader's limit
        if "field larger than field limit" in str(exc):
            raise ErreursSaisie([f"Ligne {debut} : une cellule dépasse {csv.field_size_limit() // 1024} Kio, ce qui "
                                 f"n'est pas {ligne_de} (guillemet non refermé ?). {RIEN}"]) from None
        raise ErreursSaisie([f"Ligne {debut} : le fichier CSV est mal formé (retour à la ligne ou guillemet "
                             f"mal placé dans une cellule). {RIEN}"]) from None
    return list(lecteur.fieldnames or []), rangees

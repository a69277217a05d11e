"""A real OpenID Connect provider on loopback (oidc-provider-mock, a Flask app served in a thread: its authorization
page is a form where the test types the subject, which becomes the e-mail claim), the OEPRE_* settings that point the
app at it, and a TCP relay: one public address in front of several app processes, as a reverse proxy would be."""

import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.chromium import port_libre

CLIENT_ID = "oepre-tests"


@contextmanager
def fournisseur_oidc() -> Iterator[str]:
    """The provider served on 127.0.0.1 (a free port) until the end of the block; yields its base URL."""
    import oidc_provider_mock
    import werkzeug.serving

    serveur = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(require_nonce=True), threaded=True)
    fil = threading.Thread(target=serveur.serve_forever, args=(0.1,), daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{serveur.server_port}"
    finally:
        serveur.shutdown()
        fil.join(5)
        serveur.server_close()


def reglages_oidc(fournisseur: str, adresse_publique: str, **autres: str) -> dict[str, str]:
    """The OEPRE_* settings of an app signing in through `fournisseur`, reached at `adresse_publique`."""
    return {"OEPRE_OIDC_URL_METADONNEES": f"{fournisseur}/.well-known/openid-configuration",
            "OEPRE_OIDC_CLIENT_ID": CLIENT_ID, "OEPRE_OIDC_CLIENT_SECRET": secrets.token_urlsafe(16),
            "OEPRE_OIDC_COOKIE_SECRET": secrets.token_urlsafe(32), "OEPRE_ADRESSE_PUBLIQUE": adresse_publique,
            "OEPRE_PLANIFICATEUR": "aucun"} | {f"OEPRE_{cle.upper()}": v for cle, v in autres.items()}


class Relais:
    """Listens on `port` (127.0.0.1) and pipes each new connection to the current `cible` port: switching `cible` sends
    the browser's next connections (a new tab, a reload) to another app process behind the same address."""

    def __init__(self, port: int, cible: int):
        self.port, self.cible = port, cible
        self._ecoute = socket.create_server(("127.0.0.1", port))
        self._ecoute.settimeout(0.2)
        self._fini = threading.Event()
        self._fil = threading.Thread(target=self._accepter, daemon=True)
        self._fil.start()

    def _accepter(self) -> None:
        while not self._fini.is_set():
            try:
                client, _ = self._ecoute.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                serveur = socket.create_connection(("127.0.0.1", self.cible), timeout=5)
            except OSError:
                client.close()
                continue
            serveur.settimeout(None)
            for de, vers in ((client, serveur), (serveur, client)):
                threading.Thread(target=self._copier, args=(de, vers), daemon=True).start()

    @staticmethod
    def _copier(de: socket.socket, vers: socket.socket) -> None:
        try:
            while donnees := de.recv(65536):
                vers.sendall(donnees)
        except OSError:
            pass
        finally:
            for s in (de, vers):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def fermer(self) -> None:
        self._fini.set()
        self._ecoute.close()
        self._fil.join(5)


@contextmanager
def relais(cible: int) -> Iterator[Relais]:
    r = Relais(port_libre(), cible)
    try:
        yield r
    finally:
        r.fermer()

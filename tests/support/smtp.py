"""A real local SMTP server (aiosmtpd) for the mail tests, whose behaviour a test can switch: accept, refuse
for good (5xx), refuse for now (4xx), answer too late, or drop the connection in the middle."""

import asyncio
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Boite:
    mode: str = "accepter"  # accepter | refuser | temporaire | lent | couper
    recus: list = field(default_factory=list)  # parsed email.message.EmailMessage

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuser":
            return "550 5.1.1 Destinataire inconnu"
        if self.mode == "temporaire":
            return "451 4.3.0 Serveur occupé, réessayez plus tard"
        if self.mode == "lent":
            await asyncio.sleep(3)
        if self.mode == "couper":
            server.transport.close()
            return "421 Connexion fermée"
        self.recus.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def sujets(self) -> list[tuple[str, str]]:
        return sorted((m["To"], m["Subject"]) for m in self.recus)


@contextmanager
def serveur_smtp():
    from aiosmtpd.controller import Controller

    boite = Boite()
    controleur = Controller(boite, hostname="127.0.0.1", port=port_libre())
    controleur.start()
    try:
        yield controleur.port, boite
    finally:
        controleur.stop()

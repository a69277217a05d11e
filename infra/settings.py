"""One settings object, read from OEPRE_* environment variables (or a .env file)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

RACINE = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OEPRE_", env_file=".env", env_ignore_empty=True, extra="ignore")

    # Embedded default: a SQLite file under data/ (git-ignored). Multi-user: a PostgreSQL URL,
    # e.g. postgresql+psycopg://oepre:secret@127.0.0.1:5432/oepre
    database_url: str = f"sqlite:///{RACINE / 'data' / 'oepre.sqlite'}"
    data_dir: Path = RACINE / "data"
    academie: str = "toulouse"

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "oepre-ne-pas-repondre@ac-toulouse.fr"
    smtp_timeout_s: float = Field(default=20, gt=0)

    # Accounts: the links sent to choose a password (hours before they expire; they point to `adresse_publique`).
    invitation_heures: int = Field(default=72, ge=1, le=24 * 30)
    reinitialisation_heures: int = Field(default=2, ge=1, le=72)

    session_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Fixes « today » for demonstrations and tests; None means the real date.
    date_du_jour: date | None = None
    # A file holding the current instant (ISO 8601), read at every call: a clock that tests move for several
    # processes at once. None means the real clock.
    horloge: Path | None = None

    # Where the scheduler runs: inside the app's process (embedded default, one instance), or only in its own
    # worker process (`python -m workflow.automatismes.planification`) when several app instances share a database.
    planificateur: str = Field(default="application", pattern="^(application|processus|aucun)$")
    # Tests: run every scheduled task at this interval (seconds) instead of its calendar.
    planificateur_intervalle_s: float | None = None
    # Months after the end of the bilan year (31 August) after which parents' personal data are anonymised.
    conservation_mois: int = Field(default=12, ge=1, le=120)

    # Key of the intervenants' pay data (Fernet, base64). Unset: a key file is created in data_dir on first use;
    # several app instances on one database must share this setting.
    cle_chiffrement: SecretStr | None = None

    # Sign-in through the State's identity provider (OpenID Connect, ProConnect), beside the local passwords which
    # stay the default and the fallback. Configured when the metadata URL, the client id and its secret are set;
    # Streamlit reads them from the secrets file written at start-up (demarrage/secrets_streamlit.py).
    oidc_url_metadonnees: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    # Signs Streamlit's identity cookie: several app instances behind one address must share it. Unset: one is
    # drawn at the first start and kept in data_dir.
    oidc_cookie_secret: SecretStr | None = None
    oidc_libelle: str = "Se connecter avec ProConnect"
    oidc_scopes: str = "openid email given_name usual_name"
    # The address people type to reach the service (behind its reverse proxy): the links sent by e-mail start with
    # it, and the identity provider sends people back to <adresse_publique>/oauth2callback.
    adresse_publique: str = "http://localhost:8501"

    # The public pages (Accessibilité, Données personnelles, Mentions légales): whom people write to about the service
    # (unset: the DAEPS office's address in the académie's profile) and the académie's data protection officer.
    contact_service: str | None = None
    dpd_courriel: str | None = None
    # The State's brand (the Marianne font, the bloc-marque « République française » in the header): reserved to the
    # State's services (DSFR terms of use), so off unless a rectorat or a DSDEN deploys the service.
    marque_etat: bool = False

    # Where documents are kept: files under data_dir/documents (embedded default), or an S3-compatible object store
    # (several app instances and workers on several machines). S3: its address, bucket and the key pair of an account
    # allowed to read, write, list and delete in that bucket.
    stockage: str = Field(default="fichiers", pattern="^(fichiers|s3)$")
    s3_url: str | None = None
    s3_bucket: str = "oepre"
    s3_cle: str | None = None
    s3_secret: SecretStr | None = None
    s3_region: str = "us-east-1"

    soffice: str = "soffice"
    # The persistent converter is used when available; « cold » forces one soffice per file.
    conversion: str = Field(default="persistante", pattern="^(persistante|froide)$")

    @field_validator("data_dir")
    @classmethod
    def _absolu(cls, v: Path) -> Path:
        return v if v.is_absolute() else (RACINE / v)

    @field_validator("adresse_publique", "oidc_url_metadonnees")
    @classmethod
    def _url_absolue(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("http://", "https://")):
            raise ValueError("une adresse absolue est attendue (http:// ou https://)")
        return v.rstrip("/") if v else v

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def travail_dir(self) -> Path:
        """Work in progress (a batch's files, a cold conversion): outside the document store, swept at start-up."""
        return self.data_dir / "travail"

    @property
    def smtp_configure(self) -> bool:
        return bool(self.smtp_host)

    @property
    def oidc_configure(self) -> bool:
        return bool(self.oidc_url_metadonnees and self.oidc_client_id and self.oidc_client_secret)

    @property
    def secrets_streamlit(self) -> Path:
        """Streamlit's secrets file (its [auth] section), written at start-up from these settings; never committed."""
        return self.data_dir / "streamlit" / "secrets.toml"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def maintenant() -> datetime:
    """The current instant, aware (UTC): the clock file's if set, else the configured day at the current time."""
    reglages = get_settings()
    if reglages.horloge is not None:
        instant = datetime.fromisoformat(reglages.horloge.read_text().strip())
        return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    if reglages.date_du_jour is not None:
        return datetime.combine(reglages.date_du_jour, datetime.now(UTC).time(), tzinfo=UTC)
    return datetime.now(UTC)


def aujourdhui() -> date:
    """Today's date for every deadline check: the configured date or clock if any (demo, tests)."""
    reglages = get_settings()
    if reglages.horloge is None:
        return reglages.date_du_jour or date.today()
    return maintenant().date()


@contextmanager
def a_la_date(jour: date) -> Iterator[None]:
    """Run the services as on `jour` (« today » and the clock's day), then restore: seeding a history that happened
    before today (the demo's opening of its campaign, the benchmarks' years), never in the application."""
    reglages = get_settings()
    avant = reglages.date_du_jour, reglages.horloge
    reglages.date_du_jour, reglages.horloge = jour, None
    try:
        yield
    finally:
        reglages.date_du_jour, reglages.horloge = avant

"""SMTP settings and one delivery: STARTTLS, implicit TLS or plain (local relay), with login.

Settings live in the database (`smtp.host`, `smtp.port`, `smtp.security`,
`smtp.username`, `smtp.from`, `smtp.headteacher`, `smtp.deputy`); the password lives
in a 0600 file beside the database, never in it, never on a command line, never printed.
Every failure becomes a DeliveryError with one sentence staff can act on.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import stat
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.store import Store

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
KEYS = ("host", "port", "security", "username", "from", "headteacher", "deputy",
        "digest_at")
TIMEOUT_SECONDS = 20.0


class NotifyError(KioskError):
    """E-mail settings are missing or wrong."""


class DeliveryError(KioskError):
    """The mail server did not take the message; `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def secret_path(store: Store) -> Path:
    """Where the SMTP password is kept: `<database>.smtp-password`, beside the database."""
    if store.path is None:
        raise NotifyError("An in-memory database has no place for the e-mail password.")
    return store.path.with_name(store.path.name + ".smtp-password")


def save_password(store: Store, password: str) -> Path:
    """Write the password to its 0600 file (replacing any old one atomically)."""
    path = secret_path(store)
    temp = path.with_name(path.name + ".new")
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(password)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    return path


def load_password(store: Store) -> str | None:
    """The stored password, None when none is set; refuse a file others can read."""
    path = secret_path(store)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NotifyError(f"The e-mail password file {path} cannot be read.") from error
    with os.fdopen(handle, encoding="utf-8") as file:
        if stat.S_IMODE(os.fstat(file.fileno()).st_mode) & 0o077:
            raise NotifyError(
                f"The e-mail password file {path} can be read by others: set it again with"
                " `kiosk settings set smtp.password` (it is written 0600)."
            )
        return file.read()


@dataclass(frozen=True)
class SmtpSettings:
    """Everything needed to hand a message to the school's mail server."""

    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None


def configured(store: Store) -> bool:
    """True when a host, a sender and a headteacher address are set."""
    return all(store.settings.get(f"smtp.{key}") for key in ("host", "from", "headteacher"))


def load_settings(store: Store) -> SmtpSettings:
    """The SMTP settings from the database and the password file, or NotifyError."""
    get = store.settings.get
    missing = [k for k in ("host", "from", "headteacher") if not get(f"smtp.{k}")]
    if missing:
        raise NotifyError(
            "E-mail is not set up: set " + ", ".join(f"smtp.{k}" for k in missing)
            + " with `kiosk settings set`."
        )
    security = get("smtp.security") or "starttls"
    username = get("smtp.username") or None
    password = load_password(store) if username else None
    if username and not password:
        raise NotifyError("smtp.username is set but no password: run"
                          " `kiosk settings set smtp.password`.")
    recipients = tuple(a for a in (get("smtp.headteacher"), get("smtp.deputy")) if a)
    return SmtpSettings(host=str(get("smtp.host")),
                        port=int(get("smtp.port") or DEFAULT_PORTS.get(security, 587)),
                        security=security, sender=str(get("smtp.from")),
                        recipients=recipients, username=username, password=password)


def build_email(settings: SmtpSettings, subject: str, body: str, message_id: str,
                date: float | None = None) -> EmailMessage:
    """A plain-text message with a stable Message-ID (the same id on every retry)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = formatdate(date, localtime=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def _connect(settings: SmtpSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    tls_context = context or ssl.create_default_context()
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                context=tls_context)
    client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    if settings.security == "starttls":
        client.starttls(context=tls_context)
    return client


def deliver(settings: SmtpSettings, message: EmailMessage,
            context: ssl.SSLContext | None = None) -> list[str]:
    """Hand one message to the server; return the recipients it refused (others got it)."""
    where = f"{settings.host}:{settings.port}"
    try:
        with _connect(settings, context) as client:
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(message, to_addrs=list(settings.recipients))
            return sorted(refused)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError("The mail server refused the e-mail user name or password:"
                            " check smtp.username and smtp.password.", permanent=True) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryError(f"The mail server at {where} does not offer"
                            f" {'STARTTLS' if settings.security == 'starttls' else 'login'}:"
                            " check smtp.security.", permanent=True) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError("The mail server refused every recipient: check smtp.headteacher"
                            " and smtp.deputy.", permanent=True) from error
    except smtplib.SMTPSenderRefused as error:
        raise DeliveryError("The mail server refused the sender address: check smtp.from.",
                            permanent=error.smtp_code >= 500) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"The mail server at {where} said {error.smtp_code}:"
                            " it will be tried again.",
                            permanent=error.smtp_code >= 500) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(f"The mail server at {where} did not show a trusted certificate.",
                            permanent=True) from error
    except (ssl.SSLError, smtplib.SMTPServerDisconnected) as error:
        raise DeliveryError(f"The connection to the mail server at {where} broke off"
                            " (check smtp.security and smtp.port).") from error
    except OSError as error:
        raise DeliveryError(f"The mail server at {where} cannot be reached (no network,"
                            " or a wrong smtp.host or smtp.port).") from error

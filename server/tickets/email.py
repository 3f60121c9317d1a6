"""Optional e-mail (off unless HELPMENU_SMTP_URL is set): the requester hears about a reply or a
status change, and the site's staff about a new request. Sending happens in a worker thread after
the transaction committed; a failure is logged, never shown to the user who caused it."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from helpmenu.settings import Settings

log = logging.getLogger("helpmenu.tickets.email")
_tasks: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    body: str


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: bool
    starttls: bool
    sender: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer | None:
        if not settings.smtp_url:
            return None
        url = urlsplit(str(settings.smtp_url))
        tls = url.scheme == "smtps"
        port = url.port or (465 if tls else 25)
        host = url.hostname or "localhost"
        sender = settings.smtp_from or f"helpmenu@{urlsplit(settings.public_url).hostname}"
        return cls(host, port, unquote(url.username) if url.username else None,
                   unquote(url.password) if url.password else None, tls,
                   not tls and port == 587, sender)

    def _send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, ", ".join(mail.to), \
            mail.subject
        message.set_content(mail.body)
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = (smtplib.SMTP_SSL(self.host, self.port, context=context, timeout=20)
                              if self.tls else smtplib.SMTP(self.host, self.port, timeout=20))
        with smtp:
            if self.starttls:
                smtp.starttls(context=context)
            if self.user and self.password:
                smtp.login(self.user, self.password)
            smtp.send_message(message)

    async def send(self, mail: Mail) -> None:
        try:
            await asyncio.to_thread(self._send, mail)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("could not send an e-mail (%s)", type(exc).__name__)


def later(settings: Settings, mail: Mail | None) -> None:
    """Send in the background if e-mail is configured and the mail has recipients."""
    mailer = Mailer.from_settings(settings)
    if mailer is None or mail is None or not mail.to:
        return
    task = asyncio.create_task(mailer.send(mail))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def reply_mail(email: str | None, number: int, subject: str, text: str) -> Mail | None:
    if not email:
        return None
    return Mail([email], f"[#{number}] {subject}",
                f"Support answered your request #{number}:\n\n{text}\n\n"
                "Open the Help menu in the app to read and answer it.")


def status_mail(email: str | None, number: int, subject: str, status: str) -> Mail | None:
    if not email:
        return None
    return Mail([email], f"[#{number}] {subject}",
                f"The status of your request #{number} is now: {status}.")


def new_request_mail(staff: list[str], number: int, subject: str, importance: str) -> Mail:
    return Mail(staff, f"New request #{number} ({importance}): {subject}",
                f"A new request #{number} arrived with importance {importance}:\n\n{subject}")

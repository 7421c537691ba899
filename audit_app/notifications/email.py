"""Email senders, chosen by EMAIL_SENDER: the outbox (nothing leaves), SMTP, or GOV.UK Notify.

An email says what happened and links to the page behind sign-in: the notification's subject and link only,
never case text, because email leaves the service."""

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage

from ..models import Notification


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    link: str  # absolute: SERVICE_URL and the notification's path
    body: str


class SenderUnavailable(Exception):
    """The mail server or Notify cannot be reached, or refuses the service itself: every message waits for the
    next pass, and none loses an attempt."""


class MessageRefused(Exception):
    """This one message was refused (an address the server will not take): it counts an attempt."""


Send = Callable[[Email], None]


def compose(notification: Notification, config) -> Email:
    link = config["SERVICE_URL"] + notification.link
    body = (
        f"{notification.subject}\n\n"
        f"Sign in to see it: {link}\n\n"
        f"{config['SERVICE_NAME']}, {config['ORG_NAME']}. "
        "This email was sent automatically: the details are in the service, never in email."
    )
    return Email(to=notification.user.email, subject=notification.subject, link=link, body=body)


class OutboxSender:
    """Nothing leaves the service: administrators read what would have been sent on the outbox page."""

    delivers = False

    def __init__(self, config):
        pass

    @contextmanager
    def connection(self) -> Iterator[Send]:
        yield lambda email: None


class SmtpSender:
    """One SMTP connection for a pass, with STARTTLS or implicit TLS and a login when configured."""

    delivers = True

    def __init__(self, config):
        self.config = config

    def _open(self) -> smtplib.SMTP:
        c = self.config
        if c["SMTP_SSL"]:
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(c["SMTP_HOST"], c["SMTP_PORT"], timeout=c["SMTP_TIMEOUT"], context=context)
        else:
            smtp = smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"], timeout=c["SMTP_TIMEOUT"])
            if c["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
        if c["SMTP_USERNAME"]:
            smtp.login(c["SMTP_USERNAME"], c["SMTP_PASSWORD"])
        return smtp

    @contextmanager
    def connection(self) -> Iterator[Send]:
        try:
            smtp = self._open()
        except (OSError, smtplib.SMTPException) as error:
            raise SenderUnavailable(f"SMTP server {self.config['SMTP_HOST']}: {error}") from error
        try:
            yield lambda email: self._send(smtp, email)
        finally:
            with suppress(OSError, smtplib.SMTPException):
                smtp.quit()

    def _send(self, smtp: smtplib.SMTP, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self.config["EMAIL_FROM"]
        message["To"] = email.to
        message["Subject"] = email.subject
        message.set_content(email.body)
        try:
            smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            # A 5xx refusal of this address or message is final for it; anything else (4xx "try later", a dropped
            # connection) is the server's, so every message waits for the next pass.
            if _permanent_refusal(error):
                raise MessageRefused(str(error)) from error
            raise SenderUnavailable(f"SMTP server {self.config['SMTP_HOST']}: {error}") from error


def _permanent_refusal(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


class NotifySender:
    """GOV.UK Notify, through one email template personalised with subject, link and body."""

    delivers = True

    def __init__(self, config):
        self.config = config

    @contextmanager
    def connection(self) -> Iterator[Send]:
        from notifications_python_client.notifications import NotificationsAPIClient

        try:
            client = NotificationsAPIClient(self.config["NOTIFY_API_KEY"], base_url=self.config["NOTIFY_BASE_URL"])
        except (AssertionError, ValueError) as error:
            raise SenderUnavailable("NOTIFY_API_KEY is not a GOV.UK Notify API key") from error
        yield lambda email: self._send(client, email)

    def _send(self, client, email: Email) -> None:
        from notifications_python_client.errors import APIError

        personalisation = {"subject": email.subject, "link": email.link, "body": email.body}
        try:
            client.send_email_notification(
                email_address=email.to, template_id=self.config["NOTIFY_TEMPLATE_ID"], personalisation=personalisation
            )
        except APIError as error:
            # 400: Notify will never take this message (a bad address). 403, 429 and 5xx: the key, the rate
            # limit or Notify itself, so every message waits for the next pass.
            if error.status_code == 400:
                raise MessageRefused(str(error)) from error
            raise SenderUnavailable(f"GOV.UK Notify: {error}") from error


SENDERS = {"outbox": OutboxSender, "smtp": SmtpSender, "notify": NotifySender}


def sender_for(config):
    return SENDERS[config["EMAIL_SENDER"]](config)

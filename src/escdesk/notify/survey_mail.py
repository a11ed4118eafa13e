"""The satisfaction survey e-mail (R-SLA-4): one question and a link, in the contact's language.

Kind `email.survey`: destination = the contact's address. Payload: `audience` (`customer`),
`customer`, `summary`, `contact_name`, `language`, `survey_url` (the worker builds it from
`survey_path` and the configured base URL).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr

from escdesk.notify.mail_text import RenderedUpdate
from escdesk.notify.transport import DeliveryError, OutboundMessage, require

FRAMES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "subject": "How did we do? {summary}",
        "greeting": "Hello {name},",
        "ask": "we have closed the escalation we worked on with {customer}. How satisfied are "
        "you with how we handled it? One click from 1 to 5, and a comment if you like:",
        "note": "The link is yours alone, needs no sign-in and works once, for 14 days.",
    },
    "de": {
        "subject": "Wie zufrieden waren Sie? {summary}",
        "greeting": "Guten Tag {name},",
        "ask": "wir haben die Eskalation mit {customer} abgeschlossen. Wie zufrieden sind Sie "
        "mit unserer Arbeit? Ein Klick von 1 bis 5, gern mit einem Kommentar:",
        "note": "Der Link gilt nur für Sie, ohne Anmeldung, einmal und 14 Tage lang.",
    },
    "fr": {
        "subject": "Votre avis compte : {summary}",
        "greeting": "Bonjour {name},",
        "ask": "nous avons clos l'escalade traitée avec {customer}. Êtes-vous satisfait de "
        "notre travail ? Un clic de 1 à 5, et un commentaire si vous le souhaitez :",
        "note": "Ce lien vous est personnel, sans connexion, valable une fois pendant 14 jours.",
    },
}


def render(language: str, name: str, customer: str, summary: str, url: str) -> RenderedUpdate:
    tag = language.lower()
    while tag and tag not in FRAMES:
        tag = tag.rpartition("-")[0]
    tag = tag or "en"
    frame = FRAMES[tag]
    fields = {"name": name, "customer": customer, "summary": summary}
    lines = [frame["greeting"].format(**fields), "", frame["ask"].format(**fields), "", url]
    text = "\n".join([*lines, "", frame["note"]])
    link = f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
    page = (
        f'<!DOCTYPE html><html lang="{tag}"><body>'
        f"<p>{html.escape(lines[0])}</p><p>{html.escape(lines[2])}</p><p>{link}</p>"
        f"<p>{html.escape(frame['note'])}</p></body></html>"
    )
    return RenderedUpdate(tag, frame["subject"].format(**fields), text, page)


def survey_mail(m: OutboundMessage) -> EmailMessage:
    p = m.payload
    if str(p.get("audience") or "") != "customer":
        raise DeliveryError("a survey goes to a customer contact only", permanent=True)
    url = str(p.get("survey_url") or "")
    if not url.startswith(("http://", "https://")):
        raise DeliveryError(
            "the survey link needs escdesk's public address: set ESCDESK_BASE_URL",
            permanent=False,
        )
    rendered = render(
        str(p.get("language") or "en"),
        str(p.get("contact_name") or ""),
        str(require(p, "customer", m)),
        str(p.get("summary") or ""),
        url,
    )
    mail = EmailMessage()
    mail["To"] = formataddr((str(p.get("contact_name") or ""), m.destination))
    mail["Subject"] = rendered.subject
    mail.set_content(rendered.text)
    mail.add_alternative(rendered.html, subtype="html")
    mail["Content-Language"] = rendered.language
    return mail

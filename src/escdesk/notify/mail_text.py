"""The frame around a customer-facing update, in the contact's language.

The update itself is what the DRI wrote, sent as written; escdesk translates only its own
words (greeting, subject, sign-off), for the languages below, and falls back to English. The
subject names the escalation by its reference and the customer summary, never the internal
summary (R-OPS-2); it changes only when the DRI rewrites the customer summary, so mail clients
that thread by subject (as well as by References) keep one thread. The sign-off names the
company (`ESCDESK_COMPANY_NAME`), never escdesk. The pages preview an update through this same
function, so the team reads what the customer will.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from escdesk.domain.accounts import CustomerContact
from escdesk.services.customer_preview import CustomerUpdatePreview

FRAMES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "subject": "Update on your escalation {reference}",
        "subject_about": "Update on your escalation {reference}: {summary}",
        "greeting": "Hello {name},",
        "intro": "here is the latest on the escalation we are working on with {customer}:",
        "status": "You can follow it at any time on the status page: {url}",
        "closing": "Reply to this e-mail to reach the team.",
        "signature": "{by}, for the {team}",
        "unsigned": "The {team}",
        "team": "escalation team",
        "company_team": "{company} escalation team",
    },
    "de": {
        "subject": "Neuigkeiten zu Ihrer Eskalation {reference}",
        "subject_about": "Neuigkeiten zu Ihrer Eskalation {reference}: {summary}",
        "greeting": "Guten Tag {name},",
        "intro": "hier ist der aktuelle Stand der Eskalation, an der wir mit {customer} arbeiten:",
        "status": "Den Stand finden Sie jederzeit auf der Statusseite: {url}",
        "closing": "Antworten Sie auf diese E-Mail, um das Team zu erreichen.",
        "signature": "{by}, für das {team}",
        "unsigned": "Das {team}",
        "team": "Eskalationsteam",
        "company_team": "Eskalationsteam von {company}",
    },
    "fr": {
        "subject": "Point sur votre escalade {reference}",
        "subject_about": "Point sur votre escalade {reference} : {summary}",
        "greeting": "Bonjour {name},",
        "intro": "voici les dernières nouvelles de l'escalade que nous traitons avec {customer} :",
        "status": "Vous pouvez la suivre à tout moment sur la page de statut : {url}",
        "closing": "Répondez à cet e-mail pour joindre l'équipe.",
        "signature": "{by}, pour l'{team}",
        "unsigned": "L'{team}",
        "team": "équipe d'escalade",
        "company_team": "équipe d'escalade de {company}",
    },
    "es": {
        "subject": "Novedades sobre su escalado {reference}",
        "subject_about": "Novedades sobre su escalado {reference}: {summary}",
        "greeting": "Hola {name}:",
        "intro": "estas son las novedades del escalado en el que trabajamos con {customer}:",
        "status": "Puede seguirlo en cualquier momento en la página de estado: {url}",
        "closing": "Responda a este correo para contactar con el equipo.",
        "signature": "{by}, en nombre del {team}",
        "unsigned": "El {team}",
        "team": "equipo de escalado",
        "company_team": "equipo de escalado de {company}",
    },
}


@dataclass(frozen=True)
class RenderedUpdate:
    language: str
    subject: str
    text: str
    html: str


def frame_for(language: str) -> tuple[str, Mapping[str, str]]:
    """The best frame for a BCP 47 tag: `pt-br` tries `pt-br`, then `pt`, then English."""
    tag = language.lower()
    while tag:
        if tag in FRAMES:
            return tag, FRAMES[tag]
        tag = tag.rpartition("-")[0]
    return "en", FRAMES["en"]


def sign_off(frame: Mapping[str, str], by: str, company: str | None) -> str:
    """`Ana, for the Acme escalation team`; unsigned when no person posted it."""
    team = frame["company_team"].format(company=company) if company else frame["team"]
    if by.strip():
        return frame["signature"].format(by=by.strip(), team=team)
    return frame["unsigned"].format(team=team)


def customer_update(
    *,
    language: str,
    contact_name: str,
    customer: str,
    summary: str,
    body: str,
    by: str,
    status_url: str | None,
    reference: str = "",
    company: str | None = None,
) -> RenderedUpdate:
    tag, frame = frame_for(language)
    fields = {"name": contact_name, "customer": customer, "reference": reference}
    top = [frame["greeting"].format(**fields), "", frame["intro"].format(**fields)]
    bottom = [frame["closing"], "", sign_off(frame, by, company)]
    status = frame["status"].format(url=status_url) if status_url else None
    text = "\n".join([*top, "", body.strip(), "", *([status, ""] if status else []), *bottom])
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    body_html = "".join(
        f"<p>{html.escape(p.strip()).replace(chr(10), '<br>')}</p>" for p in paragraphs
    )
    status_html = ""
    if status_url:
        link = f'<a href="{html.escape(status_url, quote=True)}">{html.escape(status_url)}</a>'
        status_html = f"<p>{html.escape(frame['status']).replace('{url}', link)}</p>"
    page = (
        f'<!DOCTYPE html><html lang="{tag}"><body>'
        f"<p>{html.escape(top[0])}</p><p>{html.escape(top[2])}</p>"
        f'<blockquote style="border-left:3px solid #888;margin:0;padding-left:1em">'
        f"{body_html}</blockquote>{status_html}"
        f"<p>{html.escape(bottom[0])}</p><p>{html.escape(bottom[2])}</p></body></html>"
    )
    about = "subject_about" if summary.strip() else "subject"
    subject = " ".join(frame[about].format(summary=summary.strip(), **fields).split())
    return RenderedUpdate(tag, subject, text, page)


def previews(
    preview: CustomerUpdatePreview, company: str | None
) -> list[tuple[CustomerContact, RenderedUpdate]]:
    """Each contact's e-mail of an update not yet posted, rendered as the worker will send it."""
    return [
        (
            contact,
            customer_update(
                language=contact.language,
                contact_name=contact.name,
                customer=preview.customer,
                summary=preview.customer_summary or "",
                body=preview.entry.body,
                by=preview.author,
                status_url=None,
                reference=preview.reference,
                company=company,
            ),
        )
        for contact in preview.contacts
    ]

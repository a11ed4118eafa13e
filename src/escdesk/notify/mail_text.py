"""The frame around a customer-facing update, in the contact's language.

The update itself is what the DRI wrote, sent as written; escdesk translates only its own
words (greeting, subject, sign-off), for the languages below, and falls back to English. The
subject stays the same for every update of one escalation, so mail clients that thread by
subject (as well as by References) keep one thread.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

FRAMES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "subject": "Update on your escalation: {summary}",
        "greeting": "Hello {name},",
        "intro": "here is the latest on the escalation we are working on with {customer}:",
        "status": "You can follow it at any time on the status page: {url}",
        "closing": "Reply to this e-mail to reach the team.",
        "signature": "{by}, for the escalation team",
    },
    "de": {
        "subject": "Neuigkeiten zu Ihrer Eskalation: {summary}",
        "greeting": "Guten Tag {name},",
        "intro": "hier ist der aktuelle Stand der Eskalation, an der wir mit {customer} arbeiten:",
        "status": "Den Stand finden Sie jederzeit auf der Statusseite: {url}",
        "closing": "Antworten Sie auf diese E-Mail, um das Team zu erreichen.",
        "signature": "{by}, für das Eskalationsteam",
    },
    "fr": {
        "subject": "Point sur votre escalade : {summary}",
        "greeting": "Bonjour {name},",
        "intro": "voici les dernières nouvelles de l'escalade que nous traitons avec {customer} :",
        "status": "Vous pouvez la suivre à tout moment sur la page de statut : {url}",
        "closing": "Répondez à cet e-mail pour joindre l'équipe.",
        "signature": "{by}, pour l'équipe d'escalade",
    },
    "es": {
        "subject": "Novedades sobre su escalado: {summary}",
        "greeting": "Hola {name}:",
        "intro": "estas son las novedades del escalado en el que trabajamos con {customer}:",
        "status": "Puede seguirlo en cualquier momento en la página de estado: {url}",
        "closing": "Responda a este correo para contactar con el equipo.",
        "signature": "{by}, en nombre del equipo de escalado",
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


def customer_update(
    *,
    language: str,
    contact_name: str,
    customer: str,
    summary: str,
    body: str,
    by: str,
    status_url: str | None,
) -> RenderedUpdate:
    tag, frame = frame_for(language)
    fields = {"name": contact_name, "customer": customer, "summary": summary, "by": by}
    top = [frame["greeting"].format(**fields), "", frame["intro"].format(**fields)]
    bottom = [frame["closing"], "", frame["signature"].format(**fields)]
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
    return RenderedUpdate(tag, frame["subject"].format(**fields), text, page)

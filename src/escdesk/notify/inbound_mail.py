"""Reading a received e-mail (RFC 5322) into a customer's reply: who sent it, which of our
messages it answers, whether a person wrote it, and what they wrote above the quoted text.

Parsed with the standard library (`email`, policy `default`), so quoted-printable, base64,
encoded words and multipart/alternative are decoded as mail clients write them.
"""

from __future__ import annotations

import html
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from escdesk.domain.errors import InvalidInput
from escdesk.services.customer_replies import CustomerReply

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
"""A reply is text; anything larger is not one (and is not read into memory whole)."""
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_ATTRIBUTION = re.compile(
    r"^\s*(on\b.*\bwrote:|am\b.*\bschrieb\b.*:|le\b.*\ba écrit\s*:|el\b.*\bescribió:)\s*$",
    re.IGNORECASE,
)
_SEPARATORS = (
    "-----original message-----",
    "----- original message -----",
    "-----ursprüngliche nachricht-----",
    "________________________________",
)
_BULK = frozenset({"bulk", "junk", "list", "auto_reply"})


def read_reply(raw: bytes) -> CustomerReply:
    """The reply in `raw`; a message without a sender is refused by name."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise InvalidInput("message", "is larger than any reply", "Deliver replies only")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    senders = [addr for _, addr in getaddresses([str(message.get("From", ""))]) if "@" in addr]
    if not senders:
        raise InvalidInput("message", "has no sender address (From)", "Deliver whole messages")
    refers_to = [
        *_MESSAGE_ID.findall(str(message.get("References", ""))),
        *_MESSAGE_ID.findall(str(message.get("In-Reply-To", ""))),
    ]
    own_id = _MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    return CustomerReply(
        sender=senders[0].lower(),
        refers_to=tuple(refers_to),
        text=trimmed(body_text(message)),
        message_id=own_id[0] if own_id else "",
        automatic=is_automatic(message),
    )


def is_automatic(message: EmailMessage) -> bool:
    """RFC 3834: any Auto-Submitted but `no` is a machine's (vacation notices, bounces); so is a
    bulk Precedence and the common auto-responder markers."""
    submitted = str(message.get("Auto-Submitted", "")).split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in _BULK:
        return True
    return bool(message.get("X-Autoreply") or message.get("X-Autorespond"))


def body_text(message: EmailMessage) -> str:
    """The text part, else the HTML part as text; an attachment is never read as the reply."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown charset: the bytes as best we can
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return _html_text(content)
    return content


def trimmed(text: str) -> str:
    """What the sender wrote: up to the quoted message (`>` lines after an attribution line,
    an 'Original Message' separator) or their signature (`-- `)."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        lowered = line.strip().lower()
        if line.rstrip() == "--" or line == "-- ":
            break
        if line.lstrip().startswith(">") or _ATTRIBUTION.match(line):
            break
        if any(lowered.startswith(s) for s in _SEPARATORS):
            break
        if lowered.startswith(("from:", "von:", "de:")) and kept and not kept[-1].strip():
            break  # Outlook's header block of the quoted message
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?is)<blockquote\b.*", "", markup)  # the quoted message, to the end
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))

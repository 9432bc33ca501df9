"""The HTML of the upload page and of its refusals: plain, accessible, with no assets from elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from .grants import Grant

_STYLESHEET = "static/upload.css"
_SCRIPTS = ("static/vendor/tus.min.js", "static/upload.js")


def size_text(size: int) -> str:
    """A byte count for people: '850 KB', '12.5 MB', '2 GB'."""
    units = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))
    for unit, scale in units:
        if size >= scale:
            value = size / scale
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
            return f"{text} {unit}"
    return f"{size} bytes"


def time_text(when: datetime) -> str:
    """An instant in UTC, as '24 May 2026, 14:05 UTC'."""
    when = when.astimezone(UTC)
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


def _document(base: str, title: str, body: str, *, scripts: bool = False) -> str:
    tags = "".join(f'\n<script src="{escape(base)}/{src}" defer></script>' for src in _SCRIPTS) if scripts else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{escape(base)}/{_STYLESHEET}">{tags}
</head>
<body>
<main id="main">
{body}
</main>
</body>
</html>
"""


def upload_page(base: str, grant: Grant, *, endpoint: str, status_url: str, max_bytes: int, chunk_bytes: int) -> str:
    """The page that takes one file for a grant, resumably."""
    expires = grant.expires_at.astimezone(UTC)
    body = f"""<h1>Send a file</h1>
<p id="target" class="target">{escape(grant.description)}</p>
<form id="upload-form" novalidate
      data-endpoint="{escape(endpoint)}" data-status="{escape(status_url)}"
      data-max-bytes="{max_bytes}" data-chunk-bytes="{chunk_bytes}">
  <p id="limits">Files up to {escape(size_text(max_bytes))}. This link works once, until
    <time id="expiry" datetime="{escape(expires.isoformat())}">{escape(time_text(expires))}</time>.
    If the connection drops, the upload picks up where it stopped; choosing the same file again on this page
    also resumes it.</p>
  <p>
    <label for="file">File to send</label><br>
    <input type="file" id="file" name="file" required aria-describedby="limits">
  </p>
  <p class="buttons">
    <button type="submit" id="send">Send the file</button>
    <button type="button" id="cancel" hidden>Cancel the upload</button>
  </p>
</form>
<section id="progress-area" aria-labelledby="progress-heading" hidden>
  <h2 id="progress-heading">Progress</h2>
  <progress id="progress" max="100" value="0" aria-labelledby="progress-heading"
            aria-describedby="progress-text"></progress>
  <p id="progress-text">Waiting to start.</p>
</section>
<div id="status" role="status" aria-live="polite" aria-atomic="true" tabindex="-1"></div>
<noscript><p class="error">This page needs JavaScript to send a file in parts that can resume.
  Ask the secretariat for another way to send it.</p></noscript>"""
    return _document(base, "Send a file", body, scripts=True)


def refusal_page(base: str, title: str, message: str, *, detail: str | None = None) -> str:
    """A page that says why a link cannot be used."""
    extra = f'\n<p id="detail">{escape(detail)}</p>' if detail else ""
    body = f"""<h1>{escape(title)}</h1>
<p id="refusal" role="alert">{escape(message)}</p>{extra}"""
    return _document(base, title, body)


def home_page(base: str) -> str:
    """What the bare address shows."""
    body = """<h1>Evidence uploads</h1>
<p>This site receives files too large to send through Discord. Open the private link the bot sent you.</p>"""
    return _document(base, "Evidence uploads", body)

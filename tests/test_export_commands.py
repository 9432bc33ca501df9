"""/export through SimCord and ``evidence-bot export`` on the command line: real .docx reopened by python-docx."""

from __future__ import annotations

import asyncio
import io

import docx
import pytest

from bot import main
from inquiry.evidence.models import Publication
from inquiry.store import Store
from tests.helpers import last_callback_type, open_seed_inquiry, set_up_server, submit_evidence


@pytest.fixture
async def server(simcord_env, simcord_bot):
    return await set_up_server(simcord_env, simcord_bot)


async def accepted(server, witness, name, answers, **options):
    submission = await submit_evidence(server, witness, name, answers, **options)
    await server.bot.services.review.accept(await server.inquiry_now(), submission.reference, server.secretariat.id)
    return submission


def paragraphs(data: bytes) -> str:
    """The document's text with its paragraph breaks, tabs and runs of spaces made single spaces."""
    return " ".join(" ".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).split())


async def test_the_evidence_volume_comes_back_privately_with_personal_data_redacted_and_logged(server):
    await open_seed_inquiry(server)
    await accepted(server, "ruth", "Ruth Evans", {1: "Call me on 07700 900123 or ruth@example.org any time."})
    await accepted(server, "ageuk", "Sam Lee", {2: "Phone befriending."}, organisation="Age UK Leeds")
    await accepted(server, "anon", "Jo Bloggs", {3: "Data poverty."}, publication=Publication.ANONYMOUS)
    await accepted(server, "secret", "Pat Doe", {4: "Client names."}, publication=Publication.CONFIDENTIAL)
    await submit_evidence(server, "pending", "Not Yet", {1: "Still under review."})

    result = await server.secretariat_runs("export evidence")
    assert last_callback_type(server) == 5  # deferred ("thinking") before building the document
    assert result.ephemeral
    [attachment] = result.response.attachments
    assert "evidence" in attachment.filename and attachment.filename.endswith(".docx")
    text = paragraphs(await attachment.read())
    assert "Written evidence submitted by Ruth Evans (SCI0001)" in text
    assert "Written evidence submitted by Age UK Leeds (SCI0002)" in text
    assert "Written evidence submitted by an individual (SCI0003)" in text
    assert "SCI0004" not in text and "Client names" not in text  # confidential
    assert "Still under review" not in text  # not accepted
    assert "07700 900123" not in text and "ruth@example.org" not in text
    assert "2 passage(s) of personal data were redacted" in result.response.content

    audit = await server.bot.services.review.audit(await server.inquiry_now(), "SCI0001")
    [logged] = [entry for entry in audit if entry.action == "redacted in export"]
    assert "email" in logged.detail and "phone" in logged.detail
    assert logged.actor_id == server.secretariat.id


async def test_exports_are_for_the_secretariat_only(server):
    await open_seed_inquiry(server)
    for person in (server.member, server.chair, server.witness("ruth")):
        result = await person.slash(server.general, "export evidence")
        assert result.ephemeral
        assert "Secretariat" in (result.response.content if result.response else result.followups[0].content)


async def test_a_document_too_large_to_attach_is_saved_to_the_export_folder(server, settings):
    await open_seed_inquiry(server)
    await accepted(server, "ruth", "Ruth Evans", {1: "Lunch clubs closed."})
    server.bot.get_cog("ExportCog").max_attachment_bytes = 1000
    result = await server.secretariat_runs("export evidence")
    assert result.response.attachments == []
    assert "saved it on the bot's server" in result.response.content
    [saved] = settings.export_dir.glob("SCI-evidence-*.docx")
    assert "Ruth Evans" in paragraphs(saved.read_bytes())


async def test_a_session_of_another_server_cannot_be_exported(server):
    await open_seed_inquiry(server)
    result = await server.secretariat_runs("export minutes", session=99)
    assert "no session 99 on this server" in result.response.content


async def first_session_id(database) -> int:
    async with await Store.open(database) as store:
        row = await store.fetch_one("SELECT id FROM sessions ORDER BY id LIMIT 1")
    return row["id"]


def test_the_command_line_exports_the_volume_and_reports_bad_input(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "demo"), "--quiet"]) == 0
    database = tmp_path / "demo" / "evidence.db"
    out = tmp_path / "volume.docx"
    assert main(["export", "evidence", "--db", str(database), "--inquiry", "sci", "--out", str(out)]) == 0
    assert "Written evidence submitted by Margaret Ellis (SCI0001)" in paragraphs(out.read_bytes())
    session_id = asyncio.run(first_session_id(database))
    for kind in ("minutes", "transcript"):
        target = tmp_path / f"{kind}.docx"
        assert main(["export", kind, "--db", str(database), "--session", str(session_id), "--out", str(target)]) == 0
        assert docx.Document(target).paragraphs
    capsys.readouterr()

    assert main(["export", "evidence", "--db", str(tmp_path / "nope.db"), "--inquiry", "SCI", "--out", "x"]) == 1
    assert main(["export", "evidence", "--db", str(database), "--inquiry", "XYZ", "--out", str(out)]) == 1
    assert main(["export", "minutes", "--db", str(database), "--inquiry", "SCI", "--out", str(out)]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3
    assert all(line.startswith("evidence-bot export: ") for line in errors)
    assert "Traceback" not in "".join(errors)

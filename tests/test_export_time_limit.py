"""Each document is built in a process of its own with a time limit: a document that takes too long is
stopped and reported (to the secretariat as any refusal is), nothing is logged as published, and the next
export works."""

from __future__ import annotations

import pytest

from inquiry.record.service import ExportFailed
from tests.helpers import open_seed_inquiry, set_up_server, submit_evidence


@pytest.fixture
async def server(simcord_env, simcord_bot):
    return await set_up_server(simcord_env, simcord_bot)


async def test_an_export_over_its_time_limit_is_stopped_and_reported_then_the_next_one_works(server):
    inquiry = await open_seed_inquiry(server)
    submission = await submit_evidence(server, "ruth", "Ruth Evans", {1: "Call me on 07700 900123."})
    await server.bot.services.review.accept(inquiry, submission.reference, server.secretariat.id)
    exports = server.bot.services.exports
    exports.build_time_limit = 0.01  # less than it takes to start a Python process

    with pytest.raises(ExportFailed, match=r"took longer than 0\.01 seconds to build, so I stopped it"):
        await exports.evidence_volume(await server.inquiry_now(), server.secretariat.id)
    audit = await server.bot.services.review.audit(await server.inquiry_now(), submission.reference)
    assert not [entry for entry in audit if entry.action == "redacted in export"]

    exports.build_time_limit = 120
    built = await server.secretariat_runs("export evidence")

    [attachment] = built.response.attachments
    assert attachment.filename.endswith(".docx")
    assert "1 passage(s) of personal data were redacted" in built.response.content

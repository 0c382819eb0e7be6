"""Files of the export as `ir.attachment` on their deal, contact or company, or on a note's message.

A file larger than the limit (25 MB by default, Odoo's usual upload limit) is
skipped with its size in the reason. A path that would leave the export, or a
file that is missing, rejects the attachment.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes

import filetype

from allegory2odoo.export import ExportError
from allegory2odoo.ledger.store import Operation
from allegory2odoo.load.step import LoadStep, Rejected, Skipped, content_hash
from allegory2odoo.load.steps.records_of import target_of

BATCH_BYTES = 20_000_000  # file bytes per load call; a larger file goes alone


class AttachmentsStep(LoadStep):
    kind = "attachments"
    identity = "attachment"
    model = "ir.attachment"
    depends = ("chatter history", "companies", "contacts", "deals")

    def prepare(self, ctx) -> None:
        self._pending_bytes = 0

    def batch_size(self, ctx) -> int:
        return ctx.options.batch_size

    def values(self, attachment, ctx):
        notes: list[str] = []
        message_id = None
        if attachment.note_id:
            linked = ctx.note_messages.get(attachment.note_id)
            if linked is None:
                raise Rejected(f"its note {attachment.note_id!r} is not in Odoo (not in the notes file, or rejected)")
            model, res_id, message_id = linked
        else:
            model, res_id = target_of(attachment, ctx)
        try:
            size = ctx.export.member_size(attachment.path)
        except ExportError as error:
            raise Rejected(str(error)) from None
        limit = ctx.options.max_attachment_bytes
        if size > limit:
            raise Skipped(f"the file {attachment.path} is {size / 1_000_000:.1f} MB, over the limit of "
                          f"{limit / 1_000_000:g} MB; upload it by hand or raise --max-attachment-mb")
        try:
            with ctx.export.open_member(attachment.path) as stream:
                content = stream.read()
        except ExportError as error:
            raise Rejected(str(error)) from None
        values = {
            "name": attachment.file_name,
            "datas": base64.b64encode(content).decode("ascii"),
            "res_model": model,
            "res_id": res_id,
            "mimetype": self._content_type(attachment, content),
        }
        ctx.attachment_messages[attachment.source_id] = message_id
        return values, notes

    @staticmethod
    def _content_type(attachment, content: bytes) -> str:
        if attachment.content_type and "/" in attachment.content_type:
            return attachment.content_type.strip().lower()
        guessed = filetype.guess_mime(content[:8192])
        if guessed:
            return guessed
        by_name, _encoding = mimetypes.guess_type(attachment.file_name)
        return by_name or "application/octet-stream"

    def content_hash(self, values: dict) -> str:
        digest = hashlib.sha1(values["datas"].encode("ascii")).hexdigest()
        return content_hash({**values, "datas": digest})

    def loaded(self, attachment, odoo_id, values, ctx) -> None:
        message_id = ctx.attachment_messages.get(attachment.source_id)
        if message_id is not None:
            ctx.message_attachments.setdefault(message_id, []).append(odoo_id)


class NoteAttachmentLinksStep(LoadStep):
    """Link the attachments of notes to the notes' messages, so they show under the note in the chatter."""

    label = "note attachments"
    model = "mail.message"
    depends = ("attachments",)

    def run(self, ctx) -> None:
        links = sorted(ctx.message_attachments.items())
        if not links:
            return
        stats = ctx.stats_for(self.name)
        ctx.reporter.start(self.name, len(links))
        current = {}
        if not ctx.writer.dry_run:
            rows = ctx.writer.client.call("mail.message", "read", [message_id for message_id, _ids in links],
                                          ["attachment_ids"])
            current = {row["id"]: sorted(row["attachment_ids"]) for row in rows}
        for message_id, attachment_ids in links:
            stats["read"] += 1
            wanted = sorted(attachment_ids)
            if current.get(message_id) == wanted:
                stats["skipped"] += 1
                ctx.record(Operation(self.name, str(message_id), "skip", self.model, message_id,
                                     reason="the note's message already lists its attachments"))
                continue
            if not ctx.writer.dry_run:
                ctx.writer.client.write("mail.message", [message_id], {"attachment_ids": [(6, 0, wanted)]})
            stats["updated"] += 1
            ctx.record(Operation(self.name, str(message_id), "update", self.model, message_id,
                                 reason=f"attachments {wanted} linked to the note's message"))
        ctx.reporter.advance(self.name, len(links))
        ctx.flush_ledger()
        ctx.reporter.finish(self.name)

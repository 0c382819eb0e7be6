"""The Odoo target of each canonical column of each export kind, as one declarative table.

`TARGETS[kind][column]` gives the Odoo model and field a column is written to,
the transform that reads it, and a description in the words the mapping file shows. The
proposer of `mapping.yaml` reads it. A target with several `fields` names the
spellings of one field across Odoo versions (the first that the schema has
wins). A target whose fields exist in no version at hand uses `otherwise`,
which describes where the value goes instead.

The load steps (load/steps/*.py) build their values in code, under the
field names this table gives. A column marked `editable` may be sent to
another field, or nowhere, by the mapping file: the load then moves or drops
that one value (see plan/applied.py). tests/test_plan.py checks that every
field the table names exists in the bundled Odoo 17 or 19 schema, so a change
to a step's values must be made here as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegory2odoo.mapping.records import _ACTIVITY_KINDS, _DEAL_STATUSES

# The value kinds of pick-list columns whose values the mapping file lists one by one.
DEAL_STATUS = "deal status"
ACTIVITY_TYPE = "activity type"


@dataclass(frozen=True)
class Target:
    """The landing place of one canonical column: model, candidate field names, transform and a description."""

    model: str
    fields: tuple[str, ...]  # empty when the column is not one field (an identity, a link resolved later)
    transform: str  # the function of mapping/ that reads the cell, e.g. "parse_date"
    how: str  # one clause for the mapping file's reason, e.g. "the partner's email"
    otherwise: str | None = None  # where the value goes when no field of `fields` exists
    value_kind: str | None = None  # DEAL_STATUS or ACTIVITY_TYPE for columns with a values map
    migrated: bool = True  # False for a column that is read and checked but written nowhere
    # True when the mapping file may send the column to another field of the same type, or nowhere:
    # the column is the only source of its one field, and no other value depends on it.
    editable: bool = False


def _identity(model: str, kind: str) -> Target:
    return Target(model, (), "identifier",
                  f"the record's identity: its external ID __allegory__.{kind}_<value>, not a field")


def _partner_columns(identity: str) -> dict[str, Target]:
    partner = "res.partner"
    return {
        "id": _identity(partner, identity),
        "email": Target(partner, ("email",), "normalise_email", "the partner's email", editable=True),
        "phone": Target(partner, ("phone",), "clean_text", "the partner's phone", editable=True),
        "website": Target(partner, ("website",), "clean_text", "the partner's website", editable=True),
        "street": Target(partner, ("street",), "clean_text", "the address's street", editable=True),
        "street2": Target(partner, ("street2",), "clean_text", "the address's second street line", editable=True),
        "city": Target(partner, ("city",), "clean_text", "the address's city", editable=True),
        "state": Target(partner, ("state_id",), "state code within the country",
                        "the state, looked up by code within the partner's country"),
        "zip": Target(partner, ("zip",), "clean_text", "the address's postal code", editable=True),
        "country": Target(partner, ("country_id",), "country_code", "the country, looked up by ISO code or name"),
        "owner": Target(partner, ("user_id",), "owner resolution",
                        "the salesperson: the Odoo user whose login or email is the owner's email"),
        "tags": Target(partner, ("category_id",), "split_list", "contact tags (res.partner.category), one per value", editable=True),
        "created_at": Target(partner, (), "parse_datetime",
                             "read and checked, not written: Odoo sets create_date itself", migrated=False),
        "updated_at": Target(partner, (), "parse_datetime",
                             "read and checked, not written: Odoo sets write_date itself", migrated=False),
    }


TARGETS: dict[str, dict[str, Target]] = {
    "users": {
        "id": Target("res.users", (), "identifier",
                     "the owner's Allegory ID, which records may name instead of an email; users are matched, "
                     "never created"),
        "email": Target("res.users", ("login", "email"), "normalise_email",
                        "matched to an active internal Odoo user by login or email"),
        "first_name": Target("res.users", (), "clean_text", "shown in the owner report only", migrated=False),
        "last_name": Target("res.users", (), "clean_text", "shown in the owner report only", migrated=False),
        "full_name": Target("res.users", (), "clean_text", "shown in the owner report only", migrated=False),
        "active": Target("res.users", (), "parse_bool", "read only: users are matched, never created"),
    },
    "companies": {
        **_partner_columns("company"),
        "name": Target("res.partner", ("name",), "clean_text", "the company's name (is_company set)"),
        "parent_id": Target("res.partner", ("parent_id",), "identifier",
                            "the parent company, linked after every company exists"),
        "industry": Target("res.partner", ("industry_id",), "clean_text",
                           "the industry (res.partner.industry), created when missing", editable=True),
        "vat": Target("res.partner", ("vat",), "clean_text", "the tax ID", editable=True),
    },
    "contacts": {
        **_partner_columns("contact"),
        # Not editable for contacts: on an Odoo without a mobile field the mobile may be written as phone.
        "phone": Target("res.partner", ("phone",), "clean_text", "the partner's phone"),
        "first_name": Target("res.partner", ("name",), "person name", "the first part of the contact's name"),
        "last_name": Target("res.partner", ("name",), "person name", "the last part of the contact's name"),
        "full_name": Target("res.partner", ("name",), "person name",
                            "the contact's name when first and last names are empty"),
        "mobile": Target("res.partner", ("mobile",), "clean_text", "the partner's mobile",
                         otherwise="this Odoo has no mobile field, so a mobile goes to phone when phone is empty "
                                   "and to the notes (comment) otherwise"),
        "job_title": Target("res.partner", ("function",), "clean_text", "the job position (function)", editable=True),
        "company_id": Target("res.partner", ("parent_id",), "identifier",
                             "the contact's company (parent_id) unless the associations name a primary one"),
    },
    "associations": {
        "contact_id": Target("res.partner", ("parent_id",), "identifier", "the contact whose parent is set"),
        "company_id": Target("res.partner", ("parent_id",), "identifier",
                             "the primary company becomes parent_id; the others are listed in "
                             "x_migration_secondary_companies"),
        "is_primary": Target("res.partner", (), "parse_bool", "tells the primary company"),
        "role": Target("res.partner", (), "clean_text", "read, not written: Odoo has no role per company link", migrated=False),
    },
    "pipelines": {
        "id": _identity("crm.team", "pipeline"),
        "name": Target("crm.team", ("name",), "clean_text", "the sales team's name, one crm.team per pipeline"),
    },
    "stages": {
        "id": _identity("crm.stage", "stage"),
        "pipeline_id": Target("crm.stage", ("team_ids", "team_id"), "identifier", "the stage's sales team"),
        "name": Target("crm.stage", ("name",), "clean_text", "the stage's name"),
        "position": Target("crm.stage", ("sequence",), "parse_int", "the stage's sequence"),
        "probability": Target("crm.stage", (), "parse_percent",
                              "not kept: Odoo computes probabilities per deal", migrated=False),
        "is_won": Target("crm.stage", ("is_won",), "parse_bool", "the won flag"),
        "is_lost": Target("crm.stage", (), "parse_bool",
                          "a lost stage is not created: Odoo marks lost deals by archiving them"),
        "is_folded": Target("crm.stage", ("fold",), "parse_bool", "folded in the kanban view"),
    },
    "deals": {
        "id": _identity("crm.lead", "deal"),
        "name": Target("crm.lead", ("name",), "clean_text", "the opportunity's name"),
        "pipeline_id": Target("crm.lead", ("team_id",), "identifier", "the sales team of the deal's pipeline"),
        "stage_id": Target("crm.lead", ("stage_id",), "identifier", "the stage"),
        "status": Target("crm.lead", ("active",), "deal status",
                         "open stays active; won goes to a won stage with probability 100; lost is archived "
                         "with probability 0 (the status also sets probability and stage_id)",
                         value_kind=DEAL_STATUS),
        "amount": Target("crm.lead", ("expected_revenue",), "parse_amount", "the expected revenue", editable=True),
        "currency": Target("crm.lead", (), "clean_text",
                           "read with the amount; not converted into Odoo's company currency"),
        "close_date": Target("crm.lead", ("date_deadline",), "parse_date", "the expected closing date", editable=True),
        "probability": Target("crm.lead", ("probability",), "parse_percent", "the probability of open deals"),
        "company_id": Target("crm.lead", ("partner_id",), "identifier", "the customer when the deal has no contact"),
        "contact_id": Target("crm.lead", ("partner_id",), "identifier", "the customer"),
        "owner": Target("crm.lead", ("user_id",), "owner resolution",
                        "the salesperson: the Odoo user whose login or email is the owner's email"),
        "description": Target("crm.lead", ("description",), "text_to_html", "the internal notes, as HTML", editable=True),
        "lost_reason": Target("crm.lead", ("lost_reason_id",), "clean_text",
                              "the lost reason (crm.lost.reason) of lost deals, created when missing", editable=True),
        "tags": Target("crm.lead", ("tag_ids",), "split_list", "CRM tags (crm.tag), one per value", editable=True),
        "created_at": Target("crm.lead", (), "parse_datetime", "read and checked, not written", migrated=False),
        "updated_at": Target("crm.lead", (), "parse_datetime", "read and checked, not written", migrated=False),
        "closed_at": Target("crm.lead", (), "parse_datetime",
                            "read and checked, not written: Odoo sets date_closed itself", migrated=False),
    },
    "tags": {
        "id": Target("crm.tag", (), "identifier", "the tag's Allegory ID; tags are matched by name"),
        "name": Target("crm.tag", ("name",), "clean_text",
                       "the tag's name, in crm.tag or res.partner.category by its scope"),
        "color": Target("crm.tag", ("color",), "color_index", "the nearest of Odoo's colour indexes"),
        "scope": Target("crm.tag", (), "clean_text",
                        "chooses crm.tag (deals) or res.partner.category (contacts, companies)"),
    },
    "custom_fields": {
        column: Target("ir.model.fields", (), "custom field definition",
                       "read into an x_allegory_ field definition (see the columns of the companies, contacts "
                       "and deals files)")
        for column in ("id", "object", "key", "label", "type", "options", "formula", "result_type", "required")
    },
    "stage_history": {
        "deal_id": Target("crm.lead", (), "identifier", "the deal whose stage entry this is"),
        "stage_id": Target("crm.lead", (), "identifier", "chooses the field x_allegory_entered_<stage>"),
        "entered_at": Target("crm.lead", (), "parse_datetime",
                             "the value of x_allegory_entered_<stage>, in UTC"),
        "left_at": Target("crm.lead", (), "parse_datetime", "read and checked, not written", migrated=False),
    },
    "activities": {
        "id": _identity("mail.activity", "activity"),
        "type": Target("mail.activity", ("activity_type_id",), "activity type",
                       "the Odoo activity type (Call, Email, Meeting, To-Do)", value_kind=ACTIVITY_TYPE),
        "subject": Target("mail.activity", ("summary",), "clean_text", "the summary"),
        "notes": Target("mail.activity", ("note",), "to_html", "the note, as HTML (the message body when done)"),
        "status": Target("mail.activity", (), "open or done",
                         "open becomes a mail.activity, done a chatter message (mail.message)"),
        "due_at": Target("mail.activity", ("date_deadline",), "parse_date", "the due date"),
        "completed_at": Target("mail.message", ("date",), "parse_datetime", "the date of the chatter message"),
        "created_at": Target("mail.activity", (), "parse_datetime", "the due date when none is given"),
        "deal_id": Target("mail.activity", ("res_id",), "identifier", "the record it belongs to"),
        "contact_id": Target("mail.activity", ("res_id",), "identifier", "the record it belongs to"),
        "company_id": Target("mail.activity", ("res_id",), "identifier", "the record it belongs to"),
        "owner": Target("mail.activity", ("user_id",), "owner resolution",
                        "the assigned user, and the author of the chatter message"),
        "duration_minutes": Target("mail.message", ("body",), "parse_int", "shown in the message body"),
    },
    "notes": {
        "id": _identity("mail.message", "note"),
        "body": Target("mail.message", ("body",), "to_html", "the message body, sanitised HTML"),
        "deal_id": Target("mail.message", ("res_id",), "identifier", "the record it belongs to"),
        "contact_id": Target("mail.message", ("res_id",), "identifier", "the record it belongs to"),
        "company_id": Target("mail.message", ("res_id",), "identifier", "the record it belongs to"),
        "author": Target("mail.message", ("author_id",), "owner resolution", "the author, an Odoo user's partner"),
        "created_at": Target("mail.message", ("date",), "parse_datetime", "the message's date"),
    },
    "attachments": {
        "id": _identity("ir.attachment", "attachment"),
        "file_name": Target("ir.attachment", ("name",), "clean_text", "the file's name"),
        "path": Target("ir.attachment", ("datas",), "file in the export", "the file's content"),
        "deal_id": Target("ir.attachment", ("res_id",), "identifier", "the record it belongs to"),
        "contact_id": Target("ir.attachment", ("res_id",), "identifier", "the record it belongs to"),
        "company_id": Target("ir.attachment", ("res_id",), "identifier", "the record it belongs to"),
        "note_id": Target("mail.message", ("attachment_ids",), "identifier", "the note's message it is attached to"),
        "content_type": Target("ir.attachment", ("mimetype",), "clean_text", "the content type"),
        "uploaded_by": Target("ir.attachment", (), "clean_text", "read, not written", migrated=False),
        "created_at": Target("ir.attachment", (), "parse_datetime", "read and checked, not written", migrated=False),
    },
}

# Allegory spellings of a deal's status -> the status the deals step loads.
DEAL_STATUS_VALUES: dict[str, str] = dict(_DEAL_STATUSES)

# The activity kinds the load handles -> the external ID of Odoo's mail.activity.type.
ACTIVITY_TYPE_XMLIDS: dict[str, str] = {
    "call": "mail.mail_activity_data_call", "email": "mail.mail_activity_data_email",
    "meeting": "mail.mail_activity_data_meeting", "task": "mail.mail_activity_data_todo",
}

# Allegory spellings of an activity's type -> the external ID of Odoo's mail.activity.type.
ACTIVITY_TYPE_VALUES: dict[str, str] = {
    spelling: ACTIVITY_TYPE_XMLIDS[kind] for spelling, kind in _ACTIVITY_KINDS.items()
}


def target_of(kind: str, column: str) -> Target | None:
    """Return where a canonical column of a kind lands, or None for a column the table does not know."""
    return TARGETS.get(kind, {}).get(column)

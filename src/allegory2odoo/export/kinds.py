"""The object kinds an Allegory export can contain, with their columns and header synonyms.

Each kind is one `KindSpec` entry in `KINDS`. Adding a kind means adding one entry: its
canonical columns, the file names that announce it and the header spellings that mean
each column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


def normalise_header(header: str) -> str:
    """Return the snake_case form of a header: `E-mail Address` -> `e_mail_address`."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip()
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)  # split camelCase
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text.lower())
    return text.strip("_")


def header_key(header: str) -> str:
    """Return the lookup key of a header: its normalised form without underscores.

    `E-mail`, `e_mail`, `EMail` and `email` all share the key `email`.
    """
    return normalise_header(header).replace("_", "")


def file_name_words(name: str) -> tuple[str, ...]:
    """Split a file or sheet name into lower-case words: `Contacts Export` -> (contacts, export)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return tuple(re.findall(r"[a-z]+", text.lower()))


@dataclass(frozen=True)
class KindSpec:
    """One object kind of the export.

    `synonyms` maps each canonical column to the other header spellings that mean it.
    Spellings are compared by `header_key`, so case, spaces and punctuation do not matter.
    `file_names` are word sequences that announce the kind in a file or sheet name.
    """

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    file_names: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def header_map(self) -> dict[str, str]:
        """Return {header key: canonical column} for this kind, kind-specific spellings first."""
        mapping: dict[str, str] = {}
        for column in self.columns:
            mapping[header_key(column)] = column
        for column, spellings in self.synonyms.items():
            for spelling in spellings:
                mapping.setdefault(header_key(spelling), column)
        for column, spellings in SHARED_SYNONYMS.items():
            if column not in self.columns:
                continue
            for spelling in spellings:
                mapping.setdefault(header_key(spelling), column)
        return mapping


# Spellings that mean the same column in every kind that has the column.
SHARED_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "Record ID", "Allegory ID", "Internal ID", "Key"),
    "email": ("E-mail", "Email Address", "E-mail Address", "Mail", "Primary Email", "Work Email"),
    "first_name": ("First Name", "Given Name", "Forename", "First"),
    "last_name": ("Last Name", "Surname", "Family Name", "Last"),
    "full_name": ("Full Name", "Display Name", "Name"),
    "phone": ("Phone", "Phone Number", "Telephone", "Tel", "Work Phone", "Office Phone", "Main Phone"),
    "mobile": ("Mobile", "Mobile Phone", "Mobile Number", "Cell", "Cell Phone"),
    "website": ("Website", "Web Site", "Web", "URL", "Homepage", "Domain"),
    "street": ("Street", "Address", "Address 1", "Address Line 1", "Street Address", "Street 1"),
    "street2": ("Street 2", "Address 2", "Address Line 2"),
    "city": ("City", "Town", "Town/City", "Locality"),
    "state": ("State", "State/Province", "Province", "Region", "County", "State Code"),
    "zip": ("Zip", "Zip Code", "Postal Code", "Postcode", "Post Code", "ZIP/Postal Code"),
    "country": ("Country", "Country Code", "Country/Region", "Nation"),
    "vat": ("VAT", "VAT Number", "VAT ID", "Tax ID", "Tax Number", "EIN"),
    "industry": ("Industry", "Sector", "Industry Sector"),
    "owner": (
        "Owner", "Owner Email", "Owner ID", "Owner Name", "Assigned To", "Record Owner",
        "Responsible", "Responsible Lawyer", "Fee Earner", "Account Owner", "Contact Owner",
        "Deal Owner", "Matter Owner",
    ),
    "tags": ("Tags", "Tag", "Labels", "Label", "Tag Names"),
    "created_at": ("Created At", "Created", "Created On", "Created Date", "Date Created", "Creation Date"),
    "updated_at": (
        "Updated At", "Updated", "Updated On", "Last Modified", "Modified", "Modified On",
        "Last Modified Date", "Last Updated",
    ),
    "description": ("Description", "Details", "Notes", "Summary"),
    "active": ("Active", "Is Active", "Enabled", "Status"),
    "job_title": ("Job Title", "Title", "Position", "Role"),
    "company_id": ("Company ID", "Company", "Account ID", "Account", "Organisation ID", "Organization ID"),
    "contact_id": ("Contact ID", "Contact", "Person ID"),
    "deal_id": ("Deal ID", "Deal", "Matter ID", "Matter", "Matter Number", "Opportunity ID", "Opportunity"),
    "pipeline_id": ("Pipeline ID", "Pipeline", "Practice Area", "Practice Area ID"),
    "stage_id": ("Stage ID", "Stage", "Deal Stage", "Matter Stage"),
    "probability": ("Probability", "Probability (%)", "Win Probability", "Likelihood"),
    "is_primary": ("Is Primary", "Primary", "Primary Company", "Is Primary Company"),
}

_ADDRESS = ("street", "street2", "city", "state", "zip", "country")
_AUDIT = ("owner", "tags", "created_at", "updated_at")

KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            name="users",
            columns=("id", "email", "first_name", "last_name", "full_name", "active"),
            required=("id",),
            file_names=(
                "users", "user", "owners", "owner", "staff", "employees", "lawyers",
                "fee earners", "team members",
            ),
            synonyms={"id": ("User ID", "Owner ID", "Employee ID", "Staff ID")},
        ),
        KindSpec(
            name="companies",
            columns=(
                "id", "name", "parent_id", "website", "phone", "email", "industry",
                *_ADDRESS, "vat", *_AUDIT,
            ),
            required=("id", "name"),
            file_names=(
                "companies", "company", "accounts", "account", "organisations", "organisation",
                "organizations", "organization", "orgs", "firms",
            ),
            synonyms={
                "id": ("Company ID", "Account ID", "Organisation ID", "Organization ID"),
                "name": (
                    "Company Name", "Account Name", "Organisation Name", "Organization Name",
                    "Company", "Legal Name",
                ),
                "parent_id": (
                    "Parent ID", "Parent", "Parent Company", "Parent Company ID",
                    "Parent Account", "Parent Account ID",
                ),
            },
        ),
        KindSpec(
            name="contacts",
            columns=(
                "id", "first_name", "last_name", "full_name", "email", "phone", "mobile",
                "job_title", "company_id", *_ADDRESS, *_AUDIT,
            ),
            required=("id",),
            file_names=("contacts", "contact", "people", "persons", "person", "individuals"),
            synonyms={
                "id": ("Contact ID", "Person ID"),
                "company_id": ("Primary Company", "Primary Company ID", "Employer"),
            },
        ),
        KindSpec(
            name="associations",
            columns=("contact_id", "company_id", "is_primary", "role"),
            required=("contact_id", "company_id"),
            file_names=(
                "associations", "association", "contact companies", "company contacts",
                "contact company", "company contact", "affiliations", "affiliation",
                "contact accounts", "account contacts", "relationships", "contact links",
            ),
            synonyms={"role": ("Role", "Relationship", "Job Title", "Title", "Position")},
        ),
        KindSpec(
            name="pipelines",
            columns=("id", "name"),
            required=("id", "name"),
            file_names=("pipelines", "pipeline", "practice areas", "practice area"),
            synonyms={
                "id": ("Pipeline ID", "Practice Area ID"),
                "name": ("Pipeline Name", "Pipeline", "Practice Area", "Label", "Title"),
            },
        ),
        KindSpec(
            name="stages",
            columns=(
                "id", "pipeline_id", "name", "position", "probability", "is_won", "is_lost",
                "is_folded",
            ),
            required=("id", "pipeline_id", "name"),
            file_names=(
                "stages", "stage", "pipeline stages", "deal stages", "matter stages",
                "deal stage", "matter stage",
            ),
            synonyms={
                "id": ("Stage ID",),
                "name": ("Stage Name", "Stage", "Label", "Title"),
                "position": ("Position", "Order", "Sequence", "Display Order", "Sort Order", "Rank"),
                "is_won": ("Won", "Is Won", "Closed Won", "Won Stage"),
                "is_lost": ("Lost", "Is Lost", "Closed Lost", "Lost Stage"),
                "is_folded": ("Folded", "Is Folded", "Collapsed", "Hidden"),
            },
        ),
        KindSpec(
            name="deals",
            columns=(
                "id", "name", "pipeline_id", "stage_id", "status", "amount", "currency",
                "close_date", "probability", "company_id", "contact_id", "owner",
                "description", "lost_reason", "tags", "created_at", "updated_at", "closed_at",
            ),
            required=("id", "name"),
            file_names=(
                "deals", "deal", "matters", "matter", "opportunities", "opportunity", "opps",
                "cases",
            ),
            synonyms={
                "id": ("Deal ID", "Matter ID", "Opportunity ID", "Matter Number", "Case ID"),
                "name": ("Deal Name", "Matter Name", "Opportunity Name", "Title", "Matter", "Deal"),
                "status": ("Status", "Deal Status", "Matter Status", "State", "Outcome"),
                "amount": (
                    "Value", "Amount", "Deal Value", "Matter Value", "Estimated Value",
                    "Expected Revenue", "Fee Estimate", "Estimated Fees",
                ),
                "currency": ("Currency", "Currency Code", "Deal Currency"),
                "close_date": (
                    "Expected Close Date", "Close Date", "Expected Close", "Closing Date",
                    "Target Close Date", "Deadline",
                ),
                "company_id": ("Client", "Client ID", "Client Company"),
                "contact_id": ("Primary Contact", "Primary Contact ID", "Client Contact"),
                "lost_reason": ("Lost Reason", "Reason Lost", "Loss Reason", "Close Reason"),
                "closed_at": ("Closed At", "Closed", "Closed On", "Date Closed", "Actual Close Date"),
            },
        ),
        KindSpec(
            name="tags",
            columns=("id", "name", "color", "scope"),
            required=("name",),
            file_names=("tags", "tag", "labels", "label"),
            synonyms={
                "id": ("Tag ID",),
                "name": ("Tag Name", "Tag", "Label", "Name"),
                "color": ("Colour", "Color", "Tag Colour", "Tag Color", "Colour Code"),
                "scope": ("Scope", "Applies To", "Object", "Object Type", "Used For"),
            },
        ),
        KindSpec(
            name="custom_fields",
            columns=(
                "id", "object", "key", "label", "type", "options", "formula", "result_type", "required",
            ),
            required=("object", "key", "label", "type"),
            file_names=(
                "custom fields", "custom field", "custom field definitions", "field definitions",
                "user defined fields", "udfs",
            ),
            synonyms={
                "id": ("Field ID", "Custom Field ID"),
                "object": ("Object", "Object Type", "Record Type", "Entity", "Module", "Applies To"),
                "key": (
                    "Field Key", "API Name", "Column", "Column Name", "Column Header", "Header",
                    "Internal Name",
                ),
                "label": ("Field Label", "Field Name", "Display Name", "Name", "Title"),
                "type": ("Field Type", "Data Type"),
                "options": (
                    "Values", "Pick-list Values", "Choices", "Allowed Values",
                    "Option Values",
                ),
                "formula": ("Expression", "Formula Expression", "Calculation"),
                "result_type": ("Return Type", "Formula Type", "Output Type", "Formula Result Type"),
                "required": ("Is Required", "Mandatory"),
            },
        ),
        KindSpec(
            name="stage_history",
            columns=("deal_id", "stage_id", "entered_at", "left_at"),
            required=("deal_id", "stage_id", "entered_at"),
            file_names=(
                "stage history", "deal stage history", "matter stage history", "stage changes",
                "stage transitions", "pipeline history", "deal history", "matter history",
            ),
            synonyms={
                "stage_id": ("To Stage", "New Stage", "Stage Entered"),
                "entered_at": (
                    "Entered", "Entered On", "Date Entered", "Entered Stage At", "Changed At",
                    "Changed On", "Moved At", "Start",
                ),
                "left_at": ("Left", "Left On", "Exited At", "Exited", "Date Left", "End", "Until"),
            },
        ),
        KindSpec(
            name="activities",
            columns=(
                "id", "type", "subject", "notes", "status", "due_at", "completed_at", "created_at",
                "deal_id", "contact_id", "company_id", "owner", "duration_minutes",
            ),
            required=("id",),
            file_names=(
                "activities", "activity", "tasks", "task", "calls", "meetings", "events",
                "deal activities", "matter activities", "contact activities", "activity history",
            ),
            synonyms={
                "id": ("Activity ID", "Task ID", "Event ID"),
                "type": ("Activity Type", "Kind", "Category"),
                "subject": ("Title", "Summary", "Activity Subject", "Name"),
                "notes": ("Body", "Details", "Description", "Comments", "Activity Notes"),
                "status": ("State", "Activity Status"),
                "due_at": (
                    "Due", "Due Date", "Due On", "Due Date/Time", "Scheduled", "Scheduled At",
                    "Scheduled For", "Start", "Start Time", "Date",
                ),
                "completed_at": (
                    "Completed", "Completed On", "Completed Date", "Date Completed", "Done At",
                    "Done On",
                ),
                "duration_minutes": (
                    "Duration", "Duration (min)", "Duration (minutes)", "Duration Minutes", "Minutes",
                    "Length",
                ),
            },
        ),
        KindSpec(
            name="notes",
            columns=("id", "body", "deal_id", "contact_id", "company_id", "author", "created_at"),
            required=("id", "body"),
            file_names=(
                "notes", "note", "comments", "comment", "deal notes", "matter notes", "contact notes",
                "file notes",
            ),
            synonyms={
                "id": ("Note ID", "Comment ID"),
                "body": ("Note", "Notes", "Text", "Content", "Comment", "Note Body", "Note Text"),
                "author": (
                    "Author ID", "Author Email", "Created By", "Written By", "User", "User ID", "Owner",
                ),
            },
        ),
        KindSpec(
            name="attachments",
            columns=(
                "id", "file_name", "path", "deal_id", "contact_id", "company_id", "note_id",
                "content_type", "uploaded_by", "created_at",
            ),
            required=("id", "file_name", "path"),
            file_names=(
                "attachments", "attachment", "documents", "document", "files", "file index",
                "document index", "deal documents", "matter documents",
            ),
            synonyms={
                "id": ("Attachment ID", "File ID", "Document ID"),
                "file_name": (
                    "File Name", "Filename", "Original File Name", "Original Name", "Document Name",
                    "Name", "Title",
                ),
                "path": ("File Path", "Export Path", "Relative Path", "Location", "File"),
                "note_id": ("Note ID", "Note"),
                "content_type": ("MIME Type", "Mime", "Media Type", "File Type"),
                "uploaded_by": ("Uploader", "Uploaded By ID", "Created By", "Author", "Owner"),
                "created_at": ("Uploaded At", "Uploaded On", "Upload Date", "Date Uploaded"),
            },
        ),
    )
}


def kind_from_name(name: str) -> str | None:
    """Return the kind a file or sheet name announces, or None when it announces none or several.

    The longest matching word sequence wins, so `contact_companies` is `associations`,
    not `companies`, and `pipeline stages` is `stages`.
    """
    words = file_name_words(name)
    best_length = 0
    best_kinds: set[str] = set()
    for spec in KINDS.values():
        for alias in spec.file_names:
            alias_words = tuple(alias.split())
            if not _contains_sequence(words, alias_words):
                continue
            if len(alias_words) > best_length:
                best_length = len(alias_words)
                best_kinds = {spec.name}
            elif len(alias_words) == best_length:
                best_kinds.add(spec.name)
    if len(best_kinds) == 1:
        return best_kinds.pop()
    return None


def _contains_sequence(words: tuple[str, ...], sequence: tuple[str, ...]) -> bool:
    width = len(sequence)
    return any(words[start:start + width] == sequence for start in range(len(words) - width + 1))

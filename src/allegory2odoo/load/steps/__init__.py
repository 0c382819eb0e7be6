"""One module per object kind; `default_steps` lists them in dependency order."""

from __future__ import annotations

from allegory2odoo.load.steps.activities import OpenActivitiesStep
from allegory2odoo.load.steps.associations import AssociationsStep
from allegory2odoo.load.steps.attachments import AttachmentsStep, NoteAttachmentLinksStep
from allegory2odoo.load.steps.closing import ClosingDatesStep
from allegory2odoo.load.steps.companies import CompaniesStep
from allegory2odoo.load.steps.contacts import ContactsStep
from allegory2odoo.load.steps.custom_fields import CustomFieldsStep
from allegory2odoo.load.steps.deals import DealsStep
from allegory2odoo.load.steps.history import HistoryStep
from allegory2odoo.load.steps.links import CompanyParentsStep, ContactCompaniesStep
from allegory2odoo.load.steps.owners import OwnersStep
from allegory2odoo.load.steps.pipelines import PipelinesStep
from allegory2odoo.load.steps.secondary import SecondaryCompaniesStep
from allegory2odoo.load.steps.stage_history import StageHistoryStep
from allegory2odoo.load.steps.stages import StagesStep
from allegory2odoo.load.steps.tags import DealTagsStep, PartnerTagsStep


def default_steps() -> list:
    return [
        CustomFieldsStep(),
        OwnersStep(),
        DealTagsStep(),
        PartnerTagsStep(),
        CompaniesStep(),
        ContactsStep(),
        AssociationsStep(),
        CompanyParentsStep(),
        ContactCompaniesStep(),
        SecondaryCompaniesStep(),
        PipelinesStep(),
        StagesStep(),
        DealsStep(),
        ClosingDatesStep(),
        StageHistoryStep(),
        HistoryStep(),
        OpenActivitiesStep(),
        AttachmentsStep(),
        NoteAttachmentLinksStep(),
    ]

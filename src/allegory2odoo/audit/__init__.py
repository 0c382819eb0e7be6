"""The audit of an export (data quality, grade, estimate) and the pre-flight check of an Odoo server."""

from allegory2odoo.audit.scan import ScanOptions
from allegory2odoo.audit.service import UNMATCHED, audit_export

__all__ = ["UNMATCHED", "ScanOptions", "audit_export"]

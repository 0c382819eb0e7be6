"""Reading an Allegory export: files, object kinds, decoding and row streams.

This layer does not import or refer to Odoo. It yields cell values as they are in the
files, and the mapping layer turns them into dates, amounts and countries.
"""

from allegory2odoo.export.errors import ExportError, MemberNotFoundError, MemberPathError
from allegory2odoo.export.kinds import KINDS, KindSpec, normalise_header
from allegory2odoo.export.source import Export, ExportFile, SourceRow, open_export

__all__ = [
    "KINDS", "Export", "ExportError", "ExportFile", "KindSpec", "MemberNotFoundError", "MemberPathError",
    "SourceRow", "normalise_header", "open_export",
]

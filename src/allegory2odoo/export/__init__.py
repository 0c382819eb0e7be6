"""Reading an Allegory export: files, object kinds, decoding and row streams.

This layer knows nothing of Odoo. It yields cell values as they are in the files; turning
them into dates, amounts and countries is the mapping layer's work.
"""

from allegory2odoo.export.errors import ExportError
from allegory2odoo.export.kinds import KINDS, KindSpec
from allegory2odoo.export.source import Export, ExportFile, SourceRow, open_export

__all__ = ["KINDS", "Export", "ExportError", "ExportFile", "KindSpec", "SourceRow", "open_export"]

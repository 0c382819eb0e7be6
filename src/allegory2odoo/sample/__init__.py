"""Generated sample exports for load tests and demos."""

from allegory2odoo.sample.generator import ExportCounts, plan_counts, write_export

__all__ = ["ExportCounts", "plan_counts", "write_export"]

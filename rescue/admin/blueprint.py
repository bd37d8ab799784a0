"""The admin package's one blueprint: accounts, organisations and missions (admin.*), with the audit trail
(admin.audit.*) nested under it."""
from rescue.admin import audit_views
from rescue.admin.views import bp

bp.register_blueprint(audit_views.bp)

__all__ = ["bp"]

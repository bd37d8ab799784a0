"""The auth package's one blueprint: signing in and out and the account (auth.*), with confirming identity
again and two-factor settings (auth.security.*) nested under it."""
from rescue.auth import security_views
from rescue.auth.views import bp

bp.register_blueprint(security_views.bp)

__all__ = ["bp"]

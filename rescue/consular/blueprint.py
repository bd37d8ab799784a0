"""The consular package's one blueprint: referrals and the mission's inbox (consular.*), with the return
(consular.returning.*) and nominal rolls (consular.rolls.*) nested under it."""
from rescue.consular import return_views, roll_views
from rescue.consular.views import bp

bp.register_blueprint(return_views.bp)
bp.register_blueprint(roll_views.bp)

__all__ = ["bp"]

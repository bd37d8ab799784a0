"""The cases package's one blueprint: the list and the case page (cases.*), with the pages about one case
nested under it (cases.casework.*, cases.situation.*, cases.editing.*, cases.merging.*, cases.erasure.*,
cases.access_log.*)."""
from rescue.cases import (
    access_log_views,
    casework_views,
    edit_views,
    erasure_views,
    merge_views,
    situation_views,
)
from rescue.cases.views import bp

for _child in (casework_views, situation_views, edit_views, merge_views, erasure_views, access_log_views):
    bp.register_blueprint(_child.bp)

__all__ = ["bp"]

"""What happens to a case, told to the capabilities that care. `cases` sends; documents, jobs, attachments,
consular and the others subscribe (connected when the app factory imports them), so `cases` never imports
what sits above it.

Every signal's sender is the Case. Receivers run inside the same transaction as the change: they add to the
session, never commit."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# The case and every row of the person are about to be deleted (erasure on request). kwargs: actor_id.
case_erasing = _signals.signal("case-erasing")
# The person's data is about to be anonymised as the catalogue says. kwargs: actor_id.
case_anonymising = _signals.signal("case-anonymising")
# A consent was recorded. kwargs: consent, user, address.
consent_recorded = _signals.signal("consent-recorded")
# The case is about to be merged into another and deleted: the records that hang off it move over.
# kwargs: into (the case that stays).
case_merging = _signals.signal("case-merging")
# The case moved from one status to another. kwargs: from_status, to_status, user.
case_moved = _signals.signal("case-moved")

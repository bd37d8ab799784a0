"""What each notice says in a reader's inbox."""
from flask_babel import lazy_gettext as _l

NOTICE_LABELS = {
    "referral_received": _l("Case %(number)s was referred to your mission."),
    "information_requested": _l("The mission asks for more information on case %(number)s."),
    "information_sent": _l("The organisation answered about case %(number)s."),
    "nationality_confirmed": _l("The mission confirmed the nationality in case %(number)s."),
    "nationality_rejected": _l("The mission did not confirm the nationality in case %(number)s."),
    "referral_withdrawn": _l("The referral of case %(number)s was withdrawn."),
    "referral_overdue": _l("The referral of case %(number)s is overdue."),
    "travel_document_recorded": _l("A travel document was recorded in case %(number)s."),
    "plan_confirmed": _l("The return of case %(number)s is planned and ready."),
    "departed": _l("The person of case %(number)s has departed."),
    "arrival_confirmed": _l("The arrival of case %(number)s is confirmed."),
    "follow_up_due": _l("A follow-up is due in case %(number)s."),
}


def notice_text(kind: str, number: str | None) -> str:
    text = NOTICE_LABELS.get(kind)
    return str(text) % {"number": number or "—"} if text is not None else kind

"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""
from rescue.audit.models import AuditEntry
from rescue.auth.models import RecoveryCode, User, UserSession
from rescue.cases.models import (
                                 Attachment,
                                 Case,
                                 CaseAlias,
                                 CaseLanguage,
                                 CaseNationality,
                                 Consent,
                                 IdentityDocument,
                                 TimelineEvent,
)
from rescue.consular.models import (
                                 FollowUp,
                                 NominalRoll,
                                 NominalRollEntry,
                                 Referral,
                                 ReferralMessage,
                                 RepatriationPlan,
                                 TravelDocument,
)
from rescue.inbox.models import Notice
from rescue.intake.models import IntakeDraft
from rescue.jobs.models import PrintJob
from rescue.locating.models import Report
from rescue.operations.models import Operation, Site
from rescue.organisations.models import Mission, Organisation

__all__ = [
    "PrintJob", "FollowUp", "NominalRoll", "NominalRollEntry", "Notice", "RepatriationPlan",
    "Attachment", "AuditEntry", "Case", "CaseAlias", "CaseLanguage", "CaseNationality", "Consent", "IdentityDocument", "IntakeDraft",
    "Mission", "Operation", "Organisation", "RecoveryCode", "Report", "Referral", "ReferralMessage", "Site", "TimelineEvent",
    "TravelDocument", "User", "UserSession",
]

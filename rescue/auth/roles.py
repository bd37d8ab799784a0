"""Roles. Pure."""
from __future__ import annotations

from rescue.core.terms import N_, Term


class Role(Term):
    CASEWORKER = "caseworker", N_("Caseworker")
    COORDINATOR = "coordinator", N_("Coordinator")
    CONSULAR = "consular", N_("Consular officer")
    ADMIN = "admin", N_("Administrator")


CASEWORKER = Role.CASEWORKER
COORDINATOR = Role.COORDINATOR
CONSULAR = Role.CONSULAR
ADMIN = Role.ADMIN

ROLES = Role.values()
# The roles of an organisation (an NGO, a shelter, a receiving agency) rather than of a mission.
NGO_ROLES = (CASEWORKER.value, COORDINATOR.value)

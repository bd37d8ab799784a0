"""The coordinator's dashboard: where cases are, where they wait, and for how long."""

"""Administration: invitations, roles, deactivation."""

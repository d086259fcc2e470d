"""Accounts: users, organisations, invitations, password reset, two-factor login."""

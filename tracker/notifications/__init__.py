"""Notifications: in the app, and by email in the recipient's language."""

"""A signed-in user's own account: language, password, two-factor login."""

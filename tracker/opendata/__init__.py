"""Open data and feeds: published records only, under the configured licence."""

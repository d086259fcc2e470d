"""Evidence: files stored by hash, links and testimony, with a chain of custody."""

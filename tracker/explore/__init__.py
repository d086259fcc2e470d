"""The map and the statistics: published findings seen as a whole."""

"""What visitors see: published findings, public fields only."""

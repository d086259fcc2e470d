"""The coordinators' side: the review queue, assignment, exports."""

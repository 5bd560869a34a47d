"""Recording-policy violations: vocabulary and labels, workflow, reads."""
